package io.ominis.xmlcurl;

import com.fasterxml.jackson.databind.JsonNode;
import io.ominis.core.InvalidValueException;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrActionType;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.core.ivr.IvrMenuOption;
import io.ominis.core.ivr.IvrTargetPolicy;
import io.ominis.xmlcurl.internal.FsExpression;
import io.ominis.xmlcurl.internal.FsXmlOutput;
import io.ominis.xmlcurl.internal.FsXmlWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import javax.xml.stream.XMLStreamException;

/**
 * Renders {@code ivr.conf} for one IVR: every menu of its tree in one document, because FreeSWITCH resolves
 * {@code menu-sub} targets only within the document it fetched.
 *
 * <p><b>Menu names.</b> Menu {@code main_menu} of IVR {@code sales} is named {@code sales/main_menu}
 * ({@link #menuName}); {@code /} cannot occur in either part, so the name is unambiguous. The root menu is rendered a
 * second time under the bare IVR name ({@code sales}), so a dialplan can start the IVR with {@code ivr sales}. The
 * root is the IVR's {@link Ivr#rootMenu()}; only for a row that names none (or a menu that is gone) is it guessed as
 * before: {@code main_menu}, else {@code main}, else the first menu id in sort order, with a warning. A
 * {@code Menu-Name} answers exactly the tree it names: the bare IVR name the root and every menu reachable from it
 * through {@code sub_menu} options, {@code sales/billing} that menu and every menu reachable from it. Menus not
 * reachable from the one asked for are left out.
 *
 * <p><b>Prompts.</b> {@code greet-long} and {@code greet-short} are the prompt text, {@code invalid-sound} the invalid
 * prompt (else {@link IvrOptions#invalidSound()}). Each text is looked up as a {@link Prompt} (menu voice, else the
 * IVR's; the IVR's language and model) in the audio function given to the constructor; a path found there is used as
 * is, otherwise the prompt becomes {@code say:text} and the menu gets {@code tts-engine}/{@code tts-voice}.
 * {@code timeout} is {@code timeout_seconds × 1000}; {@code max-failures} and {@code max-timeouts} are
 * {@code max_retries}; {@code digit-len} is the longest literal choice (at least {@link IvrOptions#regexDigitLen()}
 * when a regex choice exists).
 *
 * <table>
 * <caption>Option actions to FreeSWITCH menu entries</caption>
 * <tr><th>action_type</th><th>entry action</th><th>param</th></tr>
 * <tr><td>transfer_queue</td><td>menu-exec-app</td><td>{@code callcenter {queue}}</td></tr>
 * <tr><td>transfer_extension</td><td>menu-exec-app</td><td>{@code transfer {ext} XML {context}} (context from
 * {@code action_config.context}, else {@link IvrOptions#transferContext()})</td></tr>
 * <tr><td>sub_menu</td><td>menu-sub</td><td>{@code {ivr}/{menu_id}}</td></tr>
 * <tr><td>hangup</td><td>menu-exec-app</td><td>{@code hangup {cause}}</td></tr>
 * <tr><td>play_audio</td><td>menu-play-sound</td><td>{@code {sound}}</td></tr>
 * <tr><td>voicemail</td><td>menu-exec-app</td><td>{@code voicemail default ${domain_name} {ext}}</td></tr>
 * <tr><td>http_api_call</td><td>menu-exec-app</td><td>{@code curl {url}}: mod_curl's application fetches the URL
 * and leaves the reply in {@code ${curl_response_data}}; the menu then plays again. Speaking the reply is not done
 * here (one entry runs one application).</td></tr>
 * </table>
 *
 * <p><b>The {@code timeout} choice.</b> FreeSWITCH menus have no timeout digit. The option is rendered as the menu's
 * {@code exec-on-max-timeouts}: it runs after {@code max_retries} prompts without input, not after the first. The
 * application is the entry's ({@code menu-sub} becomes {@code ivr {menu}}, {@code menu-play-sound} becomes
 * {@code playback {sound}}).
 *
 * <p><b>Safety.</b> One entry with an empty digit or an unknown action makes FreeSWITCH drop the whole menu, so every
 * option is re-validated here and invalid ones (bad digits or targets, a {@code sub_menu} whose target is not in the
 * tree, a second option for the same digit) are left out and reported in {@link XmlDocument#warnings()}.
 */
public final class IvrRenderer {

    /** Separates the IVR name from the menu id in a FreeSWITCH menu name; neither name may contain it. */
    public static final String MENU_SEPARATOR = "/";

    private static final String EXEC_APP = "menu-exec-app";
    private static final List<String> ROOT_MENU_IDS = List.of("main_menu", "main");
    /** Literal choices first (shorter first, then by text), regex choices last: stable and easy to read. */
    private static final Comparator<String> DIGIT_ORDER = Comparator
            .comparing((String d) -> d.startsWith("/"))
            .thenComparing(String::length)
            .thenComparing(Comparator.naturalOrder());

    private final IvrOptions options;
    private final IvrTargetPolicy targets;
    private final Function<Prompt, Optional<String>> audio;
    private final FsXmlOutput output = new FsXmlOutput();
    private final NotFoundDocument notFound = new NotFoundDocument();

    /** A renderer with {@link IvrOptions#defaults()} that speaks every prompt with TTS. */
    public IvrRenderer() {
        this(IvrOptions.defaults(), prompt -> Optional.empty());
    }

    /**
     * A renderer with the given options.
     *
     * @param audio the path of a ready audio file for a prompt, or empty to have FreeSWITCH speak it with TTS; must be
     *              a pure lookup (it is called while rendering)
     */
    public IvrRenderer(IvrOptions options, Function<Prompt, Optional<String>> audio) {
        this(options, null, audio);
    }

    /**
     * A renderer that also leaves out options whose target breaks {@code targets} (a row stored by another writer,
     * or before the policy changed): {@code play_audio} files outside the sound roots, {@code http_api_call} URLs
     * outside the allowlist.
     *
     * @param targets the deployment's {@link IvrTargetPolicy}; null for the structural rules only
     */
    public IvrRenderer(IvrOptions options, IvrTargetPolicy targets, Function<Prompt, Optional<String>> audio) {
        this.options = Objects.requireNonNull(options, "options");
        this.targets = targets;
        this.audio = Objects.requireNonNull(audio, "audio");
    }

    /** The FreeSWITCH menu name of menu {@code menuId} of IVR {@code ivrName}: {@code sales/main_menu}. */
    public static String menuName(String ivrName, String menuId) {
        return ivrName + MENU_SEPARATOR + menuId;
    }

    /**
     * Renders every menu of {@code ivr}.
     *
     * @param ivr     the IVR; null when there is none, which renders the not-found document
     * @param menus   its menus (menus of other IVRs are ignored with a warning)
     * @param options the options of those menus, matched by {@link IvrMenuOption#menuId()} = {@link IvrMenu#id()}
     */
    public XmlDocument render(Ivr ivr, List<IvrMenu> menus, List<IvrMenuOption> options) {
        return render(ivr, menus, options, null);
    }

    /**
     * Renders the tree of {@code ivr} that starts at menu {@code startMenuId}: that menu and every menu reachable from
     * it through {@code sub_menu} options.
     *
     * @param startMenuId the {@code menu_id} a {@code Menu-Name} named; null for the root, which is then also rendered
     *                    under the bare IVR name. A menu the IVR does not have renders the not-found document.
     */
    public XmlDocument render(Ivr ivr, List<IvrMenu> menus, List<IvrMenuOption> options, String startMenuId) {
        Objects.requireNonNull(menus, "menus");
        Objects.requireNonNull(options, "options");
        List<String> warnings = new ArrayList<>();
        Map<String, IvrMenu> tree = new TreeMap<>();
        for (IvrMenu menu : menus) {
            if (ivr == null || !ivr.name().equals(menu.ivrName())) {
                warnings.add("menu " + menu.menuId() + " belongs to another IVR; left out");
            } else if (tree.putIfAbsent(menu.menuId(), menu) != null) {
                warnings.add("menu " + menu.menuId() + " given twice; the first is rendered");
            }
        }
        if (ivr == null || tree.isEmpty()) {
            return notFound.render(NotFoundReason.UNKNOWN_IVR, warnings);
        }
        String root = root(ivr, tree, warnings);
        String start = startMenuId == null ? root : startMenuId;
        if (!tree.containsKey(start)) {
            return notFound.render(NotFoundReason.UNKNOWN_IVR, warnings);
        }
        Map<Integer, List<IvrMenuOption>> byMenu = new LinkedHashMap<>();
        for (IvrMenuOption option : options) {
            byMenu.computeIfAbsent(option.menuId(), id -> new ArrayList<>()).add(option);
        }
        Set<String> reachable = reachable(start, tree, byMenu);
        List<MenuXml> rendered = new ArrayList<>();
        for (IvrMenu menu : tree.values()) {
            if (!reachable.contains(menu.menuId())) {
                continue;
            }
            List<IvrMenuOption> own = menu.id() == null ? List.of() : byMenu.getOrDefault(menu.id(), List.of());
            rendered.add(menu(ivr, menu, own, tree, warnings));
        }
        boolean bareRoot = startMenuId == null;
        byte[] xml = output.document(w -> {
            w.section("configuration").start("configuration").attribute("name", "ivr.conf")
                    .attribute("description", "IVR menus").start("menus");
            for (MenuXml menu : rendered) {
                if (bareRoot && menu.menuId().equals(root)) {
                    menu.write(w, ivr.name());
                }
            }
            for (MenuXml menu : rendered) {
                menu.write(w, menuName(ivr.name(), menu.menuId()));
            }
            w.end().end().end();
        });
        return new XmlDocument(xml, null, warnings);
    }

    /** The IVR's named root; guessed as before (with a warning) only when it names none that exists. */
    private static String root(Ivr ivr, Map<String, IvrMenu> tree, List<String> warnings) {
        if (ivr.rootMenu() != null && tree.containsKey(ivr.rootMenu())) {
            return ivr.rootMenu();
        }
        String guess = ROOT_MENU_IDS.stream().filter(tree::containsKey).findFirst()
                .orElseGet(() -> tree.keySet().iterator().next());
        warnings.add((ivr.rootMenu() == null ? "no root_menu named" : "root_menu " + ivr.rootMenu() + " is not a menu")
                + "; " + guess + " is the root");
        return guess;
    }

    /** {@code start} and every menu reachable from it through {@code sub_menu} options (the timeout one included). */
    private static Set<String> reachable(String start, Map<String, IvrMenu> tree,
            Map<Integer, List<IvrMenuOption>> byMenu) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            IvrMenu menu = tree.get(id);
            if (menu == null || !seen.add(id)) {
                continue;
            }
            for (IvrMenuOption o : menu.id() == null ? List.<IvrMenuOption>of() : byMenu.getOrDefault(menu.id(),
                    List.of())) {
                if (o.actionType() == IvrActionType.SUB_MENU && o.actionTarget() != null) {
                    todo.push(o.actionTarget());
                }
            }
        }
        return seen;
    }

    private MenuXml menu(Ivr ivr, IvrMenu menu, List<IvrMenuOption> choices, Map<String, IvrMenu> tree,
            List<String> warnings) {
        String where = "menu " + menu.menuId();
        String voice = menu.ttsVoice() != null ? menu.ttsVoice() : ivr.defaultVoice();
        Sounds sounds = new Sounds(ivr, voice);
        String greeting = sounds.of(menu.promptText(), null);
        String invalid = sounds.of(menu.invalidPrompt(), options.invalidSound());
        String exit = sounds.of(null, options.exitSound());
        int seconds = clamp(menu.timeoutSeconds(), 1, 300, where + ": timeout_seconds", warnings);
        int retries = clamp(menu.maxRetries(), 1, 10, where + ": max_retries", warnings);

        Map<String, Entry> entries = new TreeMap<>(DIGIT_ORDER);
        Entry onTimeout = null;
        for (IvrMenuOption option : choices) {
            String digit = option.digit();
            Entry entry = entry(ivr, option, tree, where + " option " + digit, warnings);
            if (entry == null) {
                continue;
            }
            if ("timeout".equals(digit)) {
                if (onTimeout != null) {
                    warnings.add(where + " option timeout given twice; the first is rendered");
                } else {
                    onTimeout = entry;
                }
            } else if (entries.putIfAbsent(digit, entry) != null) {
                warnings.add(where + " option " + digit + " given twice; the first is rendered");
            }
        }
        int digitLen = 1;
        for (String digit : entries.keySet()) {
            digitLen = Math.max(digitLen, digit.startsWith("/") ? options.regexDigitLen() : digit.length());
        }
        return new MenuXml(menu.menuId(), greeting, invalid, exit, seconds * 1000,
                options.interDigitTimeoutMillis(), retries, digitLen, options.ttsEngine(), sounds.ttsVoice, entries,
                onTimeout == null ? null : onTimeout.asApplication());
    }

    /** The entry for {@code option}, or null (with a warning) when FreeSWITCH could not use it. */
    private Entry entry(Ivr ivr, IvrMenuOption option, Map<String, IvrMenu> tree, String where,
            List<String> warnings) {
        try {
            if (targets == null) {
                option.validate();
            } else {
                option.validate(targets);
            }
        } catch (InvalidValueException e) {
            warnings.add(where + ": " + e.getMessage()
                    + "; left out");
            return null;
        }
        String target = option.actionTarget();
        switch (option.actionType()) {
            case TRANSFER_QUEUE:
                return new Entry(EXEC_APP, "callcenter " + target, null);
            case TRANSFER_EXTENSION:
                return new Entry(EXEC_APP, "transfer " + target + " XML " + context(option.actionConfig()), null);
            case SUB_MENU:
                if (!tree.containsKey(target)) {
                    warnings.add(where + ": sub-menu " + target + " is not a menu of this IVR; left out");
                    return null;
                }
                return new Entry("menu-sub", menuName(ivr.name(), target), null);
            case HANGUP:
                return new Entry(EXEC_APP, "hangup " + target, null);
            case PLAY_AUDIO:
                return new Entry("menu-play-sound", target, null);
            case VOICEMAIL:
                return new Entry(EXEC_APP, target, FsExpression.VOICEMAIL_APP);
            case HTTP_API_CALL:
                return new Entry(EXEC_APP, "curl " + target, null);
            default:
                throw new IllegalStateException("unmapped action type " + option.actionType());
        }
    }

    private String context(JsonNode config) {
        JsonNode context = config == null ? null : config.get("context");
        if (context != null && context.isTextual() && IvrOptions.TOKEN.matcher(context.textValue()).matches()) {
            return context.textValue();
        }
        return options.transferContext();
    }

    private static int clamp(int value, int min, int max, String what, List<String> warnings) {
        if (value < min || value > max) {
            warnings.add(what + " " + value + " is outside " + min + "-" + max + "; clamped");
        }
        return Math.max(min, Math.min(max, value));
    }

    /** Turns prompt texts of one menu into playable strings, noting whether TTS is needed. */
    private final class Sounds {
        private final Ivr ivr;
        private final String voice;
        /** Set once a prompt falls back to {@code say:}. */
        private String ttsVoice;

        Sounds(Ivr ivr, String voice) {
            this.ivr = ivr;
            this.voice = voice;
        }

        String of(String text, String fallback) {
            if (text == null || text.isBlank()) {
                if (fallback != null && fallback.startsWith("say:")) {
                    speaks();
                }
                return fallback;
            }
            Optional<String> file = audio.apply(new Prompt(text, ivr.defaultLanguage(), voice, ivr.ttsModel()));
            if (file.isPresent() && !file.get().isBlank()) {
                return file.get();
            }
            speaks();
            return "say:" + text;
        }

        private void speaks() {
            ttsVoice = options.fallbackVoice() != null ? options.fallbackVoice() : voice;
        }
    }

    /** One menu entry: an action and its param, which is either text or one of our expressions applied to it. */
    private record Entry(String action, String param, FsExpression expression) {

        /** The same thing as an application line for {@code exec-on-max-timeouts}. */
        Entry asApplication() {
            switch (action) {
                case "menu-sub":
                    return new Entry(EXEC_APP, "ivr " + param, null);
                case "menu-play-sound":
                    return new Entry(EXEC_APP, "playback " + param, null);
                default:
                    return this;
            }
        }

        void writeParam(FsXmlWriter w, String attribute) throws XMLStreamException {
            if (expression == null) {
                w.attribute(attribute, param);
            } else {
                w.attribute(attribute, expression, param);
            }
        }
    }

    /** Everything about one menu, computed before writing so the writer only has to emit it. */
    private record MenuXml(String menuId, String greeting, String invalid, String exitSound, int timeoutMillis,
            int interDigitMillis, int retries, int digitLen, String ttsEngine, String ttsVoice,
            Map<String, Entry> entries, Entry onTimeout) {

        void write(FsXmlWriter w, String name) throws XMLStreamException {
            w.start("menu").attribute("name", name).attribute("greet-long", greeting).attribute("greet-short", greeting)
                    .attribute("invalid-sound", invalid).attribute("exit-sound", exitSound)
                    .attribute("timeout", timeoutMillis).attribute("inter-digit-timeout", interDigitMillis)
                    .attribute("max-failures", retries).attribute("max-timeouts", retries)
                    .attribute("digit-len", digitLen);
            if (ttsVoice != null) {
                w.attribute("tts-engine", ttsEngine).attribute("tts-voice", ttsVoice);
            }
            if (onTimeout != null) {
                onTimeout.writeParam(w, "exec-on-max-timeouts");
            }
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                w.start("entry").attribute("action", e.getValue().action()).attribute("digits", e.getKey());
                e.getValue().writeParam(w, "param");
                w.end();
            }
            w.end();
        }
    }
}
