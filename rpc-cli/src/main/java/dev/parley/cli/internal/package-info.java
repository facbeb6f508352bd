/**
 * The commands of {@code parley} and their helpers. Anything in this package can change or
 * disappear at any time; the public face is {@link dev.parley.cli.Parley} and docs/CLI.md.
 */
package dev.parley.cli.internal;
