package io.ominis.xmlrpc.internal;

import static io.ominis.xmlrpc.internal.ShowJson.integer;

import io.ominis.core.switchstate.Channel;
import io.ominis.core.switchstate.Registration;
import java.util.Map;

/** Maps rows of {@code show … as json} onto the core records, by column name so that extra columns do no harm. */
public final class SwitchRows {

    private SwitchRows() {
    }

    /**
     * A channel from columns named {@code prefix + column}: {@code ""} for {@code channels}, {@code "b_"} for the callee
     * leg of the call views. Columns a view lacks are {@code null}.
     */
    public static Channel channel(Map<String, String> row, String prefix) {
        String[] v = new String[Channel.COLUMNS.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = row.get(prefix + Channel.COLUMNS.get(i));
        }
        return new Channel(v[0], v[1], v[2], integer(row, prefix + "created_epoch"), v[4], v[5], v[6], v[7], v[8], v[9],
                v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20], v[21], v[22], v[23], v[24],
                v[25], v[26], v[27], v[28], v[29], v[30], v[31], v[32], v[33], v[34], v[35], v[36], v[37]);
    }

    /** A row of {@code registrations}. */
    public static Registration registration(Map<String, String> row) {
        return new Registration(row.get("reg_user"), row.get("realm"), row.get("token"), row.get("url"),
                integer(row, "expires"), row.get("network_ip"), row.get("network_port"), row.get("network_proto"),
                row.get("hostname"), row.get("metadata"));
    }
}
