package io.ominis.bench.jmh;

import io.ominis.core.directory.Extension;
import io.ominis.core.directory.ExtensionStatus;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrActionType;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.core.ivr.IvrMenuOption;
import io.ominis.core.switchstate.Channel;
import io.ominis.api.rest.JsonBodies;
import io.ominis.db.Database;
import io.ominis.db.ExtensionDao;
import io.ominis.db.StoredSipUser;
import io.ominis.xmlcurl.DirectoryRenderer;
import io.ominis.xmlcurl.IvrOptions;
import io.ominis.xmlcurl.IvrRenderer;
import io.ominis.xmlcurl.Lookup;
import io.ominis.xmlcurl.XmlCurlRequest;
import io.ominis.xmlcurl.XmlDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The pure steps of the hot paths, without HTTP or PostgreSQL, so that a regression in one of them shows without wrk's
 * noise: parsing mod_sofia's directory form, rendering the directory answer (also from a cached row) and an ivr.conf,
 * and writing the JSON of a 50-channel list the way {@code GET /v1/channels} does. Run with {@code ominis-bench/run-jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class HotPathBenchmarks {

    /** The exact form mod_sofia 1.10 posts for a REGISTER's digest auth (as in wrk/sip-auth.lua), user 100042. */
    static final String SIP_AUTH_FORM = "hostname=fs-node-1&section=directory&tag_name=domain&key_name=name"
            + "&key_value=10.42.0.7&Event-Name=REQUEST_PARAMS&Core-UUID=6b0c5c2e-8d4d-4b7e-9d5c-6a1c2d3e4f50"
            + "&FreeSWITCH-Hostname=fs-node-1&FreeSWITCH-Switchname=fs-node-1&FreeSWITCH-IPv4=10.42.0.7"
            + "&FreeSWITCH-IPv6=%3A%3A1&Event-Date-Local=2026-11-25%2013%3A00%3A00"
            + "&Event-Date-GMT=Wed,%2025%20Nov%202026%2013%3A00%3A00%20GMT&Event-Date-Timestamp=1795000000000000"
            + "&Event-Calling-File=sofia_reg.c&Event-Calling-Function=sofia_reg_parse_auth"
            + "&Event-Calling-Line-Number=3126&Event-Sequence=512"
            + "&action=sip_auth&sip_profile=internal&sip_user_agent=Zoiper%20rv2.10"
            + "&sip_auth_username=100042&sip_auth_realm=10.42.0.7"
            + "&sip_auth_nonce=2f5e6a8c-1b7d-4e1a-9c3f-0d2b4a6c8e10&sip_auth_uri=sip%3A10.42.0.7"
            + "&sip_contact_user=100042&sip_contact_host=192.168.1.50&sip_to_user=100042"
            + "&sip_to_host=10.42.0.7&sip_via_protocol=udp&sip_from_user=100042&sip_from_host=10.42.0.7"
            + "&sip_call_id=NjQ3Yzg0ZWQ&sip_request_host=10.42.0.7&sip_auth_qop=auth&sip_auth_cnonce=a1b2c3"
            + "&sip_auth_nc=00000001&sip_auth_response=0f1e2d3c4b5a69788796a5b4c3d2e1f0&sip_auth_method=REGISTER"
            + "&client_port=5060&key=id&user=100042&domain=10.42.0.7&ip=192.168.1.50";

    private final DirectoryRenderer directory = new DirectoryRenderer();
    private final IvrRenderer ivrRenderer = new IvrRenderer(IvrOptions.defaults(), prompt -> Optional.empty());
    private final JsonBodies json = new JsonBodies(JsonBodies.apiMapper());

    /** Only parses: the data source behind it is never connected. */
    private final ExtensionDao extensions = Database.create(new PGSimpleDataSource()).extensions();

    private Lookup.DirectoryUser user;
    private Extension extension;
    private StoredSipUser cachedRow;
    private Ivr ivr;
    private List<IvrMenu> menus;
    private List<IvrMenuOption> options;
    private List<Channel> channels;

    @Setup
    public void setUp() {
        user = (Lookup.DirectoryUser) XmlCurlRequest.parse(SIP_AUTH_FORM).lookup();
        extension = new Extension("100042", "Winnipeg-2025-x", "Agent 100042", "agent100042@example.com", "sales", null, null, null,
                null, null, null);
        // as seed-extensions.sql writes the directory benchmark's users
        cachedRow = new StoredSipUser("100042", "pw-0c5a0f4cfb0b1f3e0fb9c8a5e1b3d2a7", "User 100042",
                "user100042@example.com", "dept-42", ExtensionStatus.ACTIVE, null,
                "{\"enabled\": true, \"password\": \"0042\"}", null, List.of());
        ivr = Ivr.named("sales");
        menus = List.of(
                new IvrMenu(1, "sales", "main_menu", "Welcome to sales. Press 1 for billing, 2 for support.", null,
                        5, 3, null, null, null),
                new IvrMenu(2, "sales", "billing", "Billing: press 9 to go back.", "nova", 10, 2,
                        "Sorry, that is not a billing option.", null, null));
        options = List.of(
                IvrMenuOption.of(1, "1", IvrActionType.SUB_MENU, "billing"),
                IvrMenuOption.of(1, "2", IvrActionType.TRANSFER_QUEUE, "support@default"),
                IvrMenuOption.of(1, "3", IvrActionType.TRANSFER_EXTENSION, "1001"),
                IvrMenuOption.of(1, "0", IvrActionType.TRANSFER_EXTENSION, "operator"),
                IvrMenuOption.of(1, "timeout", IvrActionType.TRANSFER_QUEUE, "support@default"),
                IvrMenuOption.of(2, "9", IvrActionType.SUB_MENU, "main_menu"),
                IvrMenuOption.of(2, "timeout", IvrActionType.SUB_MENU, "main_menu"));
        channels = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            channels.add(channel(i));
        }
    }

    /** Form body to a typed lookup: what every directory request pays before the cache is asked. */
    @Benchmark
    public Lookup parseDirectoryForm() {
        return XmlCurlRequest.parse(SIP_AUTH_FORM).lookup();
    }

    /** The directory answer for one user: what a cache miss adds to the database lookup. */
    @Benchmark
    public XmlDocument renderDirectoryUser() {
        return directory.render(user, extension, 60_000);
    }

    /**
     * A cached user whose rendered document is not kept (beyond {@code OMINIS_DIRECTORY_CACHE_RENDERED_MB}): its row's
     * JSON parsed, then the answer rendered. What a hit costs for the users asked for least recently.
     */
    @Benchmark
    public XmlDocument renderFromCachedRow() {
        return directory.render(user, extensions.sipUser(cachedRow), 0);
    }

    /** An ivr.conf of two menus and seven options, prompts not yet synthesized (the say: fallback). */
    @Benchmark
    public XmlDocument renderIvrConf() {
        return ivrRenderer.render(ivr, menus, options);
    }

    /** The JSON bytes of 50 channel rows, written as {@code GET /v1/channels} writes them. */
    @Benchmark
    public byte[] channelsJson() {
        return json.bytes(channels);
    }

    private static Channel channel(int i) {
        String uuid = String.format("6b0c5c2e-8d4d-4b7e-9d5c-%012d", i);
        return new Channel(uuid, "inbound", "2026-11-25 13:00:00", 1795000000 + i, "sofia/internal/100" + i
                + "@10.42.0.7", "CS_EXECUTE", "Agent " + i, "100" + i, "192.168.1." + i, "5000", "callcenter",
                "support@default", "XML", "default", "PCMU", "8000", "64000", "PCMU", "8000", "64000", "", "fs-node-1",
                "100" + i + "@10.42.0.7", "", "", "ACTIVE", "Outbound Call", "5000", "SEND", uuid, "", "", "Agent " + i,
                "100" + i, "192.168.1." + i, "5000", "XML", "default");
    }
}
