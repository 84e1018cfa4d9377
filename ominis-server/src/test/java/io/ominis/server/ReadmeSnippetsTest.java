package io.ominis.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of every README in the repository against the real modules, so that what a new
 * user copies compiles. A block is a class of its own when it declares one, a class member when it starts with an
 * annotation, and otherwise the body of a method. Names a block uses without declaring them are declared in an HTML
 * comment right above it, {@code <!-- snippet-context: DataSource dataSource; -->}, which markdown does not show;
 * {@code import} statements there pick a type where two public packages share a simple name.
 */
class ReadmeSnippetsTest {

    private static final Pattern BLOCK = Pattern.compile(
            "(?:<!--\\s*snippet-context:(?<context>.*?)-->\\s*\\n)?```java\\n(?<code>.*?)\\n```", Pattern.DOTALL);

    /** JDK and third-party packages the snippets may use without imports, as a reader would expect in an IDE. */
    private static final List<String> COMMON_IMPORTS = List.of(
            "java.io", "java.nio.file", "java.time", "java.util", "java.net.http", "javax.sql",
            "com.zaxxer.hikari", "org.junit.jupiter.api", "io.javalin");

    @TempDir
    Path output;

    @TestFactory
    Stream<DynamicTest> everyReadmeJavaBlockCompiles() throws IOException {
        Path root = repositoryRoot();
        List<Path> readmes;
        try (Stream<Path> files = Files.walk(root, 3)) {
            readmes = files.filter(p -> p.getFileName().toString().equals("README.md"))
                    .filter(p -> !root.relativize(p).toString().contains("target"))
                    .sorted()
                    .toList();
        }
        String imports = imports(root);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path readme : readmes) {
            String text = Files.readString(readme);
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                int line = 1 + (int) text.substring(0, m.start("code")).chars().filter(c -> c == '\n').count();
                String where = root.relativize(readme) + ":" + line;
                String context = m.group("context") == null ? "" : m.group("context").strip();
                String code = m.group("code");
                tests.add(DynamicTest.dynamicTest(where, () -> assertCompiles(where, imports, context, code)));
            }
        }
        assertThat(tests).as("README java blocks found").hasSizeGreaterThanOrEqualTo(5);
        return tests.stream();
    }

    private void assertCompiles(String where, String imports, String context, String code) throws IOException {
        String className = "Snippet" + Integer.toHexString(where.hashCode()).toUpperCase(Locale.ROOT);
        StringBuilder chosen = new StringBuilder();
        Matcher explicit = Pattern.compile("import [\\w.]+;").matcher(context);
        while (explicit.find()) {
            chosen.append(explicit.group()).append('\n');
        }
        String members = explicit.replaceAll("").strip();
        // single-type imports shadow the on-demand ones, which is what makes them pick
        String source = imports + chosen + wrap(className, members, code);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            };
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"),
                    "-d", output.toString(), "-proc:none", "-Xlint:none", "--release", "17");
            Boolean ok = compiler.getTask(null, files, diagnostics, options, null, List.of(unit)).call();
            StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.append(d.getMessage(Locale.ROOT)).append(" at: ")
                            .append(source.lines().skip(Math.max(0, d.getLineNumber() - 1)).findFirst().orElse(""))
                            .append('\n');
                }
            }
            assertThat(ok).as("the java block at %s compiles:\n%s", where, errors).isTrue();
        }
    }

    private static String wrap(String className, String context, String code) {
        String trimmed = code.stripLeading();
        if (trimmed.matches("(?s)(public |final |abstract )*(class|record|interface|enum) .*")) {
            // A whole type: rename it so that blocks never collide, keep it package-private beside the others.
            return code.replaceFirst("(public )?((final |abstract )*)(class|record|interface|enum) (\\w+)",
                    "$2$4 " + className + "_$5") + "\n";
        }
        if (trimmed.startsWith("@")) {
            return "class " + className + " {\n" + context + "\n" + code + "\n}\n";
        }
        return "class " + className + " {\n" + context + "\n    void snippet() throws Exception {\n" + code
                + "\n    }\n}\n";
    }

    /** Every public package of our own modules, and the common ones, as wildcard imports. */
    private static String imports(Path root) throws IOException {
        Set<String> packages = new TreeSet<>(COMMON_IMPORTS);
        try (Stream<Path> files = Files.walk(root, 1)) {
            for (Path module : files.filter(p -> p.getFileName().toString().startsWith("ominis-")).toList()) {
                Path sources = module.resolve("src/main/java");
                if (!Files.isDirectory(sources)) {
                    continue;
                }
                try (Stream<Path> java = Files.walk(sources)) {
                    java.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java"))
                            .map(p -> sources.relativize(p.getParent()).toString().replace('/', '.'))
                            .filter(p -> !p.contains("internal") && !p.startsWith("io.ominis.bench"))
                            .forEach(packages::add);
                }
            }
        }
        StringBuilder b = new StringBuilder();
        packages.forEach(p -> b.append("import ").append(p).append(".*;\n"));
        return b.toString();
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("ominis-bom"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new UncheckedIOException(new IOException("repository root (with ominis-bom/) not found above "
                    + Path.of("").toAbsolutePath()));
        }
        return dir;
    }
}
