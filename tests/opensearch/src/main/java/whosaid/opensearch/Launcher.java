//! Starts one real OpenSearch node in this JVM, on loopback, for whosaid's cluster tests.
//! Known limits: a test node, not a production one: no bootstrap checks, no security
//! plugin, no security manager, only the Netty4 and common-analysis plugins; it binds
//! 127.0.0.1 only and is meant to be killed (SIGKILL) or stopped (SIGTERM) by a test.
package whosaid.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;
import org.opensearch.transport.TransportService;

/**
 * One node per JVM, so that a test can SIGKILL a single node and start it again on the
 * same data folder.
 *
 * <pre>
 * java -Xms256m -Xmx512m -jar target/opensearch-launcher.jar \
 *   --name node-1 --http 9201 --transport 9301 --data /tmp/c/node-1 \
 *   --seeds 127.0.0.1:9301,127.0.0.1:9302,127.0.0.1:9303 \
 *   --managers node-1,node-2,node-3 [--cluster whosaid-test] [-Ekey=value ...]
 * </pre>
 *
 * Once the node has started it prints one line on stdout,
 * {@code READY node-1 http=127.0.0.1:9201 transport=127.0.0.1:9301}; its logs go to
 * stderr. Started means bound and joining, not that a cluster has formed: wait for
 * {@code _cluster/health} for that. Port 0 asks for any free port; the ready line says
 * which one was bound.
 */
public final class Launcher {
    /** The plugins a distribution would load from modules/: HTTP and the analyzers. */
    private static final List<Class<? extends Plugin>> PLUGINS = List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, ReindexPlugin.class);

    /** Node's constructor that takes classpath plugins is protected; MockNode does the same. */
    private static final class LauncherNode extends Node {
        LauncherNode(Environment environment) {
            super(environment, PLUGINS, true);
        }
    }

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = settings(args);
        } catch (IllegalArgumentException e) {
            System.err.println("opensearch-launcher: " + e.getMessage());
            System.err.println(
                "usage: opensearch-launcher --name N --http PORT --transport PORT --data DIR "
                    + "[--seeds host:port,...] [--managers n1,n2,...] [--cluster NAME] [-Ekey=value ...]"
            );
            System.exit(2);
            return;
        }
        Path home = Path.of(settings.get("path.home"));
        Files.createDirectories(home);
        String name = settings.get("node.name");
        Supplier<String> defaultName = () -> name;
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(), null, defaultName);
        Node node = new LauncherNode(environment);

        // SIGTERM (and the end of the JVM) closes the node so its data folder is left
        // consistent; SIGKILL skips this, which is what the failure tests want.
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("opensearch-launcher: closing " + name + ": " + e);
            }
            closed.countDown();
        }, "launcher-shutdown"));

        try {
            node.start();
        } catch (Exception e) {
            // The stack trace is for the log; the one line is what a test prints.
            e.printStackTrace();
            System.err.println("opensearch-launcher: " + name + " did not start: " + e.getMessage());
            System.exit(1);
        }
        String http = node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress().toString();
        String transport = node.injector().getInstance(TransportService.class).boundAddress().publishAddress().toString();
        System.out.println("READY " + name + " http=" + http + " transport=" + transport);
        System.out.flush();
        closed.await();
    }

    /** The node's settings from the command line; throws on a missing or unknown argument. */
    static Settings settings(String[] args) {
        Settings.Builder b = Settings.builder();
        // Test-node defaults: loopback only, no disk watermarks (a full CI disk must not
        // make shards unassigned), a small cluster name of its own.
        b.put("cluster.name", "whosaid-test");
        b.put("network.host", "127.0.0.1");
        b.put("cluster.routing.allocation.disk.threshold_enabled", false);
        String data = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("-E")) {
                String kv = arg.length() > 2 ? arg.substring(2) : value(args, ++i, "-E");
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("-E needs key=value, got '" + kv + "'");
                }
                b.put(kv.substring(0, eq), kv.substring(eq + 1));
                continue;
            }
            String v = value(args, ++i, arg);
            switch (arg) {
                case "--name" -> b.put("node.name", v);
                case "--http" -> b.put("http.port", v);
                case "--transport" -> b.put("transport.port", v);
                case "--data" -> data = v;
                case "--seeds" -> b.putList("discovery.seed_hosts", List.of(v.split(",")));
                case "--managers" -> b.putList("cluster.initial_cluster_manager_nodes", List.of(v.split(",")));
                case "--cluster" -> b.put("cluster.name", v);
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        for (String needed : List.of("node.name", "http.port", "transport.port")) {
            if (b.get(needed) == null) {
                throw new IllegalArgumentException("missing " + needed);
            }
        }
        if (data == null) {
            throw new IllegalArgumentException("missing --data");
        }
        // Everything of the node's lives under --data: home (config, plugins), data, logs.
        Path dir = Path.of(data).toAbsolutePath();
        b.put("path.home", dir.resolve("home").toString());
        b.put("path.data", dir.resolve("data").toString());
        b.put("path.logs", dir.resolve("logs").toString());
        return b.build();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
