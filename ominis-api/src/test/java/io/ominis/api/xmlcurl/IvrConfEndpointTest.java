package io.ominis.api.xmlcurl;

import static io.ominis.api.ApiCalls.postForm;
import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.api.ContractCheck;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrActionType;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.core.ivr.IvrMenuOption;
import io.ominis.db.Database;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.testing.OminisDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IvrConfEndpointTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void servesTheWholeMenuTreeForMenuName() {
        Database database = Database.create(db.dataSource());
        database.ivrs().create(Ivr.named("support"));
        IvrMenu main = database.ivrMenus().create(IvrMenu.of("support", "main_menu", "Welcome to support"));
        IvrMenu billing = database.ivrMenus().create(IvrMenu.of("support", "billing", "Billing menu"));
        database.ivrMenuOptions().create(IvrMenuOption.of(main.id(), "1", IvrActionType.TRANSFER_QUEUE, "sales@default"));
        database.ivrMenuOptions().create(IvrMenuOption.of(main.id(), "2", IvrActionType.SUB_MENU, "billing"));
        database.ivrMenuOptions().create(IvrMenuOption.of(billing.id(), "0", IvrActionType.HANGUP, "NORMAL_CLEARING"));

        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            ContractCheck.test(server.app(), (srv, client) -> {
                String form = "hostname=fs1&section=configuration&tag_name=configuration&key_name=name&key_value=ivr.conf"
                        + "&Event-Name=REQUEST_PARAMS&Menu-Name=support&Channel-State=CS_EXECUTE"
                        + "&variable_domain_name=10.42.0.7";
                var r = postForm(client, "/v1/freeswitch/configuration", form);
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.body().string())
                        .contains("<configuration name=\"ivr.conf\"")
                        .contains("<menu name=\"support\"")
                        .contains("<menu name=\"support/billing\"")
                        .contains("action=\"menu-exec-app\" digits=\"1\" param=\"callcenter sales@default\"")
                        .contains("action=\"menu-sub\" digits=\"2\" param=\"support/billing\"")
                        .contains("Welcome to support");

                var unknown = postForm(client, "/v1/freeswitch/configuration",
                        form.replace("Menu-Name=support", "Menu-Name=nobody"));
                assertThat(unknown.code()).isEqualTo(200);
                assertThat(unknown.body().string()).contains("not found");
            });
        }
    }

    @Test
    void eachMenuNameAnswersExactlyTheTreeItNamesStartingAtTheNamedRoot() {
        Database database = Database.create(db.dataSource());
        database.ivrs().create(Ivr.named("hotline"));
        // the first menu becomes the root, although a main_menu follows
        IvrMenu welcome = database.ivrMenus().create(IvrMenu.of("hotline", "welcome", "Hello from the hotline"));
        IvrMenu billing = database.ivrMenus().create(IvrMenu.of("hotline", "billing", "Billing menu"));
        database.ivrMenus().create(IvrMenu.of("hotline", "main_menu", "Never reached"));
        database.ivrMenuOptions().create(IvrMenuOption.of(welcome.id(), "1", IvrActionType.SUB_MENU, "billing"));
        database.ivrMenuOptions().create(IvrMenuOption.of(billing.id(), "0", IvrActionType.HANGUP, "NORMAL_CLEARING"));

        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            ContractCheck.test(server.app(), (srv, client) -> {
                String form = "hostname=fs1&section=configuration&tag_name=configuration&key_name=name&key_value=ivr.conf"
                        + "&Event-Name=REQUEST_PARAMS&Menu-Name=hotline";
                String root = postForm(client, "/v1/freeswitch/configuration", form).body().string();
                assertThat(root).contains("<menu name=\"hotline\" greet-long=\"say:Hello from the hotline\"")
                        .contains("<menu name=\"hotline/billing\"").doesNotContain("Never reached");

                String sub = postForm(client, "/v1/freeswitch/configuration",
                        form.replace("Menu-Name=hotline", "Menu-Name=hotline/billing")).body().string();
                assertThat(sub).contains("<menu name=\"hotline/billing\"").doesNotContain("<menu name=\"hotline\" ")
                        .doesNotContain("Hello from the hotline");

                database.ivrs().modify("hotline", i -> i.withRootMenu("main_menu"));
                String moved = postForm(client, "/v1/freeswitch/configuration", form).body().string();
                assertThat(moved).contains("<menu name=\"hotline\" greet-long=\"say:Never reached\"")
                        .doesNotContain("billing");
            });
        }
    }
}
