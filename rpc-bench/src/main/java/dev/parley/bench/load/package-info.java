/**
 * The load comparison (not JMH; docs/BENCHMARKS.md): {@link dev.parley.bench.load.LoadCompare} runs Parley
 * plain, encrypted, over HTTPS and over h2c next to a raw Jetty + OkHttp echo and gRPC-java, in one
 * JVM on 127.0.0.1, and prints a Markdown report; {@link dev.parley.bench.load.SessionMemory}
 * measures heap per idle encrypted session in rpc-server's real session store. See
 * docs/BENCHMARKS.md.
 *
 * <pre>
 * java -cp rpc-bench/target-bench/benchmarks.jar dev.parley.bench.load.LoadCompare --quick
 * </pre>
 */
package dev.parley.bench.load;
