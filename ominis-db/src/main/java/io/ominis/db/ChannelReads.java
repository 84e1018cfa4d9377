package io.ominis.db;

import io.ominis.core.Page;
import io.ominis.core.switchstate.Channel;
import java.util.List;
import java.util.Optional;

/**
 * The reads the channel routes make, answered alike by FreeSWITCH's {@code channels} table ({@link ChannelDao}) and by
 * the in-memory copy of it ({@link ChannelMirror.Snapshot}): same matches, same order, same cursors.
 */
public interface ChannelReads {

    /**
     * The channel with this uuid on any switch. Should a dead switch have left a stale row with the same uuid, the
     * newest row wins.
     */
    Optional<Channel> find(String uuid);

    /**
     * One page of the channels matching {@code query}, oldest first: those after the row whose key is {@code after}
     * (a previous page's {@link Page#next()}; null for the first page).
     *
     * @throws io.ominis.core.InvalidValueException naming {@code cursor} for a key that is not a channel key
     */
    Page<Channel, List<String>> page(ChannelDao.Query query, List<String> after);

    /** How many channels match the filters of {@code query} (its limit plays no part). */
    long countMatching(ChannelDao.Query query);

    /** How many channels switch {@code hostname} has; null means all switches. */
    long count(String hostname);
}
