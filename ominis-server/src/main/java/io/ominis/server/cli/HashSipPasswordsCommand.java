package io.ominis.server.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.ConflictException;
import io.ominis.core.OminisException;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import io.ominis.db.ExtensionDao;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hash-sip-passwords}: moves stored SIP passwords to the a1-hash storage, replacing each by its digest hash
 * for every served domain and clearing it, all in one transaction ({@link ExtensionDao#hashStoredPasswords}). Exit 0
 * when done, 1 when no domain is served, 2 when the settings or the database fail.
 */
@Command(name = "hash-sip-passwords", mixinStandardHelpOptions = true,
        description = {
            "Replace every stored SIP password by md5(number:realm:password) for each served domain and clear it,",
            "in one transaction. There is no way back: a realm change or a domain added later needs each password",
            "set again. Run it with OMINIS_SIP_PASSWORD_STORAGE=a1-hash on every server."
        })
public final class HashSipPasswordsCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    @Option(names = "--dry-run", description = "show what would be hashed, change nothing")
    private boolean dryRun;

    public HashSipPasswordsCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (HikariDataSource pool = ConnectionPool.open(DatabaseSettings.fromEnvironment(env).withPoolSize(2))) {
            ExtensionDao.PasswordHashing done = Database.create(pool).extensions().hashStoredPasswords(dryRun);
            out.println((done.dryRun() ? "Would hash " : "Hashed ") + done.numbers().size()
                    + " stored password(s) for realm(s) " + done.realms()
                    + (done.dryRun() ? " (dry run: nothing changed)" : "; the passwords are no longer stored"));
            done.numbers().forEach(n -> out.println("    " + n));
            if (!done.dryRun() && !"a1-hash".equals(env.get("OMINIS_SIP_PASSWORD_STORAGE"))) {
                out.println("Set OMINIS_SIP_PASSWORD_STORAGE=a1-hash on every server, or passwords written later are"
                        + " stored in plain text again.");
            }
            return 0;
        } catch (ConflictException e) {
            err.println("ominis hash-sip-passwords: " + e.getMessage());
            return 1;
        } catch (OminisException e) {
            err.println("ominis hash-sip-passwords: " + e.getMessage());
            return 2;
        }
    }
}
