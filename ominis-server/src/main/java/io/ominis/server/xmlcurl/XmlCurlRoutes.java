package io.ominis.server.xmlcurl;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.ominis.core.OminisException;
import io.ominis.core.directory.Extension;
import io.ominis.core.ivr.IvrDefinition;
import io.ominis.core.ivr.IvrMenuOption;
import io.ominis.db.Database;
import io.ominis.server.ServerSettings;
import io.ominis.server.api.ApiRouter;
import io.ominis.server.api.Operation;
import io.ominis.xmlrpc.SwitchControl;
import io.ominis.xmlcurl.AclRenderer;
import io.ominis.xmlcurl.CallcenterRenderer;
import io.ominis.xmlcurl.CallcenterSettings;
import io.ominis.xmlcurl.DirectoryOptions;
import io.ominis.xmlcurl.DirectoryRenderer;
import io.ominis.xmlcurl.IvrRenderer;
import io.ominis.xmlcurl.Lookup;
import io.ominis.xmlcurl.NotFoundDocument;
import io.ominis.xmlcurl.NotFoundReason;
import io.ominis.xmlcurl.QueueDefinition;
import io.ominis.xmlcurl.XmlCurlRequest;
import io.ominis.xmlcurl.XmlDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints mod_xml_curl calls: {@code /v1/freeswitch/directory}, {@code /acl} and {@code /configuration}. They
 * answer GET query strings and POST forms alike, always {@code text/xml} with status 200 for a well-formed request
 * (FreeSWITCH ignores any other status and falls back to its static files), and the not-found document for anything
 * not served — never a user without a password, never a stack trace.
 */
public final class XmlCurlRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(XmlCurlRoutes.class);
    private static final String XML = "text/xml; charset=utf-8";
    /** Bodies up to this size are read directly; well below Javalin's default limit of one megabyte. */
    private static final int DIRECT_READ_LIMIT = 64 * 1024;

    private final ServerSettings settings;
    private final Database db;
    private final DirectoryService directory;
    private final XmlCurlAccess access;
    private final DirectoryRenderer directoryRenderer;
    private final NotFoundDocument notFound = new NotFoundDocument();
    private final AclRenderer aclRenderer = new AclRenderer();
    private final IvrRenderer ivrRenderer;
    private final CallcenterRenderer callcenterRenderer = new CallcenterRenderer();

    private final SwitchControl switchControl;

    public XmlCurlRoutes(ServerSettings settings, Database db, DirectoryService directory, XmlCurlAccess access,
            IvrRenderer ivrRenderer, SwitchControl switchControl) {
        this.switchControl = switchControl;
        this.settings = settings;
        this.db = db;
        this.directory = directory;
        this.access = access;
        this.directoryRenderer = new DirectoryRenderer(new DirectoryOptions(settings.userContext(),
                DirectoryOptions.PasswordMode.PLAIN));
        this.ivrRenderer = ivrRenderer;
    }

    /** Registers the three endpoints for GET and POST. */
    public void register(ApiRouter router) {
        Map<String, String> summaries = Map.of(
                "/v1/freeswitch/directory", "mod_xml_curl directory: the user document for sip_auth/user_call, else not found",
                "/v1/freeswitch/acl", "mod_xml_curl acl.conf from acl_entries",
                "/v1/freeswitch/configuration", "mod_xml_curl configuration by key_value: acl.conf, ivr.conf, callcenter.conf");
        for (String path : List.of("/v1/freeswitch/directory", "/v1/freeswitch/acl", "/v1/freeswitch/configuration")) {
            for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST)) {
                router.add(new Operation(method, path, "freeswitch", summaries.get(path), null, false, null, false, 200,
                        "text/xml", List.of(new Operation.Param("section", "string", "mod_xml_curl base field"),
                                new Operation.Param("key_value", "string", "mod_xml_curl base field")),
                        List.of(401, 403)), this::handle);
            }
        }
    }

    private void handle(Context ctx) {
        XmlCurlAccess.Verdict verdict = access.check(ctx.header("Authorization"), ctx.ip());
        if (verdict != XmlCurlAccess.Verdict.ALLOWED) {
            if (verdict == XmlCurlAccess.Verdict.BAD_CREDENTIALS) {
                ctx.header("WWW-Authenticate", "Basic realm=\"ominis\"");
                ctx.status(401);
            } else {
                ctx.status(403);
            }
            ctx.contentType(XML).result(notFound.render(NotFoundReason.MALFORMED_REQUEST).bytes());
            return;
        }
        String form;
        try {
            form = ctx.method() == HandlerType.POST ? form(ctx) : ctx.queryString() == null ? "" : ctx.queryString();
        } catch (IllegalArgumentException e) {
            // an unknown or malformed charset (IllegalCharsetNameException, UnsupportedCharsetException): the
            // client's mistake, and FreeSWITCH must get a usable answer all the same
            LOG.debug("xml_curl request with an unusable charset answered not found: {}", e.getMessage());
            ctx.status(200).contentType(XML).result(notFound.render(NotFoundReason.MALFORMED_REQUEST).bytes());
            return;
        }
        XmlCurlRequest request = XmlCurlRequest.parse(form);
        XmlDocument answer;
        try {
            answer = answer(request.lookup());
        } catch (OminisException e) {
            // Whatever failed, FreeSWITCH must get a usable answer: not found makes it try its next source.
            LOG.warn("xml_curl {} {} answered not found: {}", request.sectionName(), request.keyValue(), e.getMessage());
            answer = notFound.render(NotFoundReason.UNKNOWN_USER);
        }
        ctx.status(200).contentType(XML);
        // Written straight to the response: Javalin's result() path copies through a fresh 32 KiB buffer per request,
        // which at FreeSWITCH's request rates was a third of all allocation. Compression, if any, still applies.
        try {
            answer.writeTo(ctx.outputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("could not send the answer to FreeSWITCH", e);
        }
    }

    /**
     * The POST body as text. A form of known, modest length (mod_xml_curl's always is) is read in one right-sized
     * array; anything else goes through Javalin, which also enforces its request size limit.
     */
    private static String form(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length < 0 || length > DIRECT_READ_LIMIT) {
            return ctx.body();
        }
        String encoding = ctx.characterEncoding();
        Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        try {
            return new String(ctx.req().getInputStream().readNBytes((int) length), charset);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request from FreeSWITCH", e);
        }
    }

    private XmlDocument answer(Lookup lookup) {
        if (lookup instanceof Lookup.DirectoryUser user) {
            return directoryUser(user);
        }
        if (lookup instanceof Lookup.AclConf) {
            return aclRenderer.render(db.acl().list());
        }
        if (lookup instanceof Lookup.IvrConf ivr) {
            return ivrConf(ivr);
        }
        if (lookup instanceof Lookup.CallcenterConf cc) {
            return callcenterConf(cc);
        }
        return notFound.render(((Lookup.Unserved) lookup).reason());
    }

    private XmlDocument directoryUser(Lookup.DirectoryUser user) {
        DirectoryService.Result result = directory.find(user.user());
        if (result instanceof DirectoryService.Result.Found found) {
            Extension extension = found.extension();
            long cacheable = cacheableMillis();
            if (cacheable > 0) {
                switchControl.directoryDomainSeen(user.domain());
            }
            if (found.memo() == null || cacheable > 0) {
                // Jittered per answer, so there is nothing to keep.
                return directoryRenderer.render(user, extension, cacheable);
            }
            // The document depends only on the extension (the memo's entry) and the lookup (user, domain, realm).
            return found.memo().get(user, () -> directoryRenderer.render(user, extension, 0));
        }
        if (result instanceof DirectoryService.Result.Unavailable unavailable) {
            LOG.warn("directory lookup of {} unanswered: {}", user.user(), unavailable.reason());
        }
        return notFound.render(NotFoundReason.UNKNOWN_USER);
    }

    /** FreeSWITCH-side caching, with ±10 % jitter so that users cached together do not all expire together. */
    private long cacheableMillis() {
        int base = settings.cacheableMillis();
        if (base <= 0) {
            return 0;
        }
        int jitter = Math.max(1, base / 10);
        return base - jitter + ThreadLocalRandom.current().nextInt(2 * jitter + 1);
    }

    private XmlDocument ivrConf(Lookup.IvrConf lookup) {
        Optional<IvrDefinition> definition = db.ivrs().load(lookup.ivrName());
        if (definition.isEmpty()) {
            return notFound.render(NotFoundReason.UNSUPPORTED_CONFIGURATION);
        }
        IvrDefinition d = definition.get();
        List<IvrMenuOption> options = d.options().values().stream().flatMap(List::stream).toList();
        return ivrRenderer.render(d.ivr(), d.menus(), options);
    }

    private XmlDocument callcenterConf(Lookup.CallcenterConf lookup) {
        Set<String> names = new LinkedHashSet<>(settings.callcenterQueues());
        names.addAll(db.tiers().queueNames());
        if (lookup.queue() != null) {
            names.add(lookup.queue());
        }
        List<QueueDefinition> queues = names.stream().sorted().map(QueueDefinition::withDefaults).toList();
        return callcenterRenderer.render(CallcenterSettings.of(settings.callcenterOdbcDsn(), null), queues);
    }
}
