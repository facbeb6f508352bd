/**
 * JMH benchmarks for Parley, run on demand (never by {@code mvn test}); the command and the latest
 * results are in docs/BENCHMARKS.md.
 */
package dev.parley.bench;
