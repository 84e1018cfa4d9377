package io.ominis.xmlcurl;

import static io.ominis.xmlcurl.DirectoryRendererTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrActionType;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.core.ivr.IvrMenuOption;
import io.ominis.core.ivr.IvrTargetPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IvrRendererTest {

    private static final Ivr SALES = Ivr.named("sales").withRootMenu("main_menu");
    private static final IvrMenu MAIN = new IvrMenu(1, "sales", "main_menu",
            "Welcome to sales. Press 1 for billing, 2 for support.", null, 5, 3, null, null, null);
    private static final IvrMenu BILLING = new IvrMenu(2, "sales", "billing", "Billing: press 9 to go back.",
            "nova", 10, 2, "Sorry, that is not a billing option.", null, null);

    @Test
    void treeWithSubMenusAndEveryActionType() {
        List<IvrMenuOption> options = List.of(
                IvrMenuOption.of(1, "1", IvrActionType.SUB_MENU, "billing"),
                IvrMenuOption.of(1, "2", IvrActionType.TRANSFER_QUEUE, "support@default"),
                new IvrMenuOption(null, 1, "3", IvrActionType.TRANSFER_EXTENSION, "1001",
                        json("{\"context\":\"office\"}"), null, null),
                IvrMenuOption.of(1, "4", IvrActionType.VOICEMAIL, "1001"),
                IvrMenuOption.of(1, "5", IvrActionType.HTTP_API_CALL, "https://api.example.com/balance?id=1&x=2"),
                IvrMenuOption.of(1, "6", IvrActionType.PLAY_AUDIO, "ivr/ivr-hold_connect_call.wav"),
                IvrMenuOption.of(1, "0", IvrActionType.TRANSFER_EXTENSION, "operator"),
                IvrMenuOption.of(1, "*9", IvrActionType.HANGUP, "NORMAL_CLEARING"),
                IvrMenuOption.of(1, "/^7[0-9]$/", IvrActionType.TRANSFER_EXTENSION, "1007"),
                IvrMenuOption.of(1, "timeout", IvrActionType.TRANSFER_QUEUE, "support@default"),
                IvrMenuOption.of(2, "9", IvrActionType.SUB_MENU, "main_menu"),
                IvrMenuOption.of(2, "timeout", IvrActionType.SUB_MENU, "main_menu"),
                IvrMenuOption.of(2, "8", IvrActionType.SUB_MENU, "no_such_menu"),
                IvrMenuOption.of(2, "", IvrActionType.HANGUP, "NORMAL_CLEARING"),
                IvrMenuOption.of(2, "9", IvrActionType.HANGUP, "NORMAL_CLEARING"),
                IvrMenuOption.of(2, "7", IvrActionType.TRANSFER_QUEUE, "bad queue"));
        IvrRenderer renderer = new IvrRenderer(IvrOptions.defaults(), prompt -> Optional.ofNullable(Map.of(
                "Welcome to sales. Press 1 for billing, 2 for support.",
                "/var/lib/ominis/tts/3f/3fa1.wav").get(prompt.text())));

        XmlDocument doc = renderer.render(SALES, List.of(BILLING, MAIN), options);

        assertThat(doc.warnings()).containsExactly(
                "menu billing option 8: sub-menu no_such_menu is not a menu of this IVR; left out",
                "menu billing option : digit: must be digits 0-9, '*' or '#', 'timeout', or a /regex/, got ''; left out",
                "menu billing option 9 given twice; the first is rendered",
                "menu billing option 7: action_target: must be a queue name (letters, digits, '.', '_', '@', '+', '-'),"
                        + " got 'bad queue'; left out");
        Golden.assertMatches("ivr.xml", doc);
    }

    @Test
    void optionsOutsideTheDeploymentsTargetPolicyAreLeftOut() {
        List<IvrMenuOption> stored = List.of(
                IvrMenuOption.of(1, "1", IvrActionType.PLAY_AUDIO, "/etc/shadow"),
                IvrMenuOption.of(1, "2", IvrActionType.PLAY_AUDIO, "shell_stream:///bin/sh"),
                IvrMenuOption.of(1, "3", IvrActionType.HTTP_API_CALL, "http://127.0.0.1:8080/RPC2"),
                IvrMenuOption.of(1, "4", IvrActionType.PLAY_AUDIO, "/srv/prompts/a.wav"),
                IvrMenuOption.of(1, "5", IvrActionType.HTTP_API_CALL, "https://crm.example.com/api/x"));
        IvrTargetPolicy policy = new IvrTargetPolicy(List.of(java.nio.file.Path.of("/srv/prompts")),
                IvrTargetPolicy.parseUrls("https://crm.example.com/api/"));

        XmlDocument doc = new IvrRenderer(IvrOptions.defaults(), policy, p -> Optional.empty())
                .render(SALES, List.of(MAIN), stored);

        assertThat(doc.warnings()).hasSize(3).allMatch(w -> w.contains("action_target") && w.endsWith("left out"));
        assertThat(doc.text()).contains("/srv/prompts/a.wav").contains("curl https://crm.example.com/api/x")
                .doesNotContain("shadow").doesNotContain("shell_stream").doesNotContain("127.0.0.1");
    }

    @Test
    void promptLookupGetsTheMenuVoiceAndTheIvrLanguageAndModel() {
        List<Prompt> asked = new java.util.ArrayList<>();
        new IvrRenderer(IvrOptions.defaults(), p -> {
            asked.add(p);
            return Optional.empty();
        }).render(SALES, List.of(BILLING), List.of());

        assertThat(asked).containsExactly(
                new Prompt("Billing: press 9 to go back.", "en", "nova", "tts-1"),
                new Prompt("Sorry, that is not a billing option.", "en", "nova", "tts-1"));
    }

    @Test
    void unknownIvrOrNoMenusIsNotFound() {
        IvrRenderer renderer = new IvrRenderer();

        assertThat(renderer.render(null, List.of(MAIN), List.of()).notFoundReason())
                .contains(NotFoundReason.UNKNOWN_IVR);
        assertThat(renderer.render(Ivr.named("other"), List.of(MAIN), List.of()).notFoundReason())
                .contains(NotFoundReason.UNKNOWN_IVR);
    }

    @Test
    void withoutMainMenuTheFirstMenuIsTheRootAndOutOfRangeValuesAreClamped() {
        IvrMenu odd = new IvrMenu(5, "sales", "zeta", "Z", null, 0, 99, null, null, null);
        IvrMenu alpha = new IvrMenu(6, "sales", "alpha", "A", null, 5, 3, null, null, null);

        XmlDocument doc = new IvrRenderer().render(Ivr.named("sales"), List.of(odd, alpha),
                List.of(IvrMenuOption.of(6, "1", IvrActionType.SUB_MENU, "zeta")));

        assertThat(doc.text()).contains("<menu name=\"sales\" greet-long=\"say:A\"")
                .contains("name=\"sales/zeta\"").contains("timeout=\"1000\"").contains("max-failures=\"10\"");
        assertThat(doc.warnings()).containsExactly("no root_menu named; alpha is the root",
                "menu zeta: timeout_seconds 0 is outside 1-300; clamped",
                "menu zeta: max_retries 99 is outside 1-10; clamped");
    }

    @Test
    void theNamedRootWinsOverMainMenuAndEachMenuNameAnswersExactlyItsTree() {
        IvrMenu welcome = new IvrMenu(3, "sales", "welcome", "Welcome", null, 5, 3, null, null, null);
        IvrMenu orphan = new IvrMenu(4, "sales", "orphan", "Nobody leads here", null, 5, 3, null, null, null);
        List<IvrMenu> menus = List.of(MAIN, BILLING, welcome, orphan);
        List<IvrMenuOption> options = List.of(
                IvrMenuOption.of(3, "1", IvrActionType.SUB_MENU, "billing"),
                IvrMenuOption.of(2, "9", IvrActionType.SUB_MENU, "welcome"));
        Ivr ivr = Ivr.named("sales").withRootMenu("welcome");
        IvrRenderer renderer = new IvrRenderer();

        XmlDocument root = renderer.render(ivr, menus, options);
        assertThat(root.warnings()).isEmpty();
        assertThat(root.text()).contains("<menu name=\"sales\" greet-long=\"say:Welcome\"")
                .contains("name=\"sales/welcome\"").contains("name=\"sales/billing\"")
                .doesNotContain("sales/main_menu").doesNotContain("orphan");

        XmlDocument billing = renderer.render(ivr, menus, options, "billing");
        assertThat(billing.text()).contains("name=\"sales/billing\"").contains("name=\"sales/welcome\"")
                .doesNotContain("<menu name=\"sales\" ").doesNotContain("main_menu").doesNotContain("orphan");

        XmlDocument alone = renderer.render(ivr, menus, options, "orphan");
        assertThat(alone.text()).contains("name=\"sales/orphan\"").doesNotContain("billing");

        assertThat(renderer.render(ivr, menus, options, "missing").notFoundReason())
                .contains(NotFoundReason.UNKNOWN_IVR);
        // a root_menu naming a menu that is gone (a row written by hand) falls back to the guess, with a warning
        assertThat(renderer.render(Ivr.named("sales").withRootMenu("gone"), menus, options).warnings())
                .containsExactly("root_menu gone is not a menu; main_menu is the root");
    }

    @Test
    void everyEntryHasDigitsAndOneOfTheSixActions() {
        XmlDocument doc = new IvrRenderer().render(SALES, List.of(MAIN),
                List.of(IvrMenuOption.of(1, "1", IvrActionType.HANGUP, "NORMAL_CLEARING")));

        assertThat(doc.text().lines().filter(l -> l.contains("<entry")))
                .allMatch(l -> l.matches(".*action=\"(menu-exec-app|menu-sub|menu-top|menu-back|menu-exit"
                        + "|menu-play-sound)\" digits=\"[^\"]+\".*"));
    }
}
