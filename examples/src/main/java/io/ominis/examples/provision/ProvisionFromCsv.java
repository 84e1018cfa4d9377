package io.ominis.examples.provision;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.ExtensionStatus;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import io.ominis.db.Migrations;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Provisions extensions and IVRs from a CSV file with the DAOs, all in one transaction: a bad row leaves nothing
 * behind. Rows are {@code extension,<number>,<password>,<display name>} and {@code ivr,<name>,<greeting>}.
 */
public final class ProvisionFromCsv {

    private ProvisionFromCsv() {
    }

    /** Reads {@code csv} into the database named by {@code env} and reports on {@code out}. */
    public static void run(Map<String, String> env, Path csv, PrintStream out) throws IOException {
        List<Extension> extensions = new ArrayList<>();
        List<String[]> ivrs = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", -1);
            switch (f[0].strip()) {
                case "extension" -> extensions.add(new Extension(f[1].strip(), f[2].strip(),
                        f.length > 3 ? f[3].strip() : null, null, null, ExtensionStatus.ACTIVE, null, null, null, null,
                        null));
                case "ivr" -> ivrs.add(f);
                default -> throw new IllegalArgumentException("unknown row kind '" + f[0] + "' in: " + line);
            }
        }
        try (HikariDataSource pool = ConnectionPool.open(DatabaseSettings.fromEnvironment(env))) {
            Migrations.migrate(pool);
            Database db = Database.create(pool);
            db.useTransaction(tx -> {
                tx.extensions().createAll(extensions);
                for (String[] f : ivrs) {
                    tx.ivrs().create(Ivr.named(f[1].strip()));
                    tx.ivrMenus().create(IvrMenu.of(f[1].strip(), "main", f[2].strip()));
                }
            });
            out.println("created " + extensions.size() + " extensions and " + ivrs.size() + " IVRs");
        }
    }

    /** {@code java … ProvisionFromCsv people.csv} */
    public static void main(String[] args) throws IOException {
        run(System.getenv(), Path.of(args[0]), System.out);
    }
}
