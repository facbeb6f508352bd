/**
 * The {@code parley} command line tool: {@link dev.parley.cli.Parley} is the main class of
 * {@code parley.jar}. The commands and options are described in docs/CLI.md.
 */
package dev.parley.cli;
