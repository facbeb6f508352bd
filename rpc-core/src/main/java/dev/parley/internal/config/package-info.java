/**
 * Loading module and client settings from a YAML or properties file with environment overrides
 * ({@code ServerModule.fromConfig}, {@code ClientModule.fromConfig}). Start at
 * {@link dev.parley.internal.config.ConfigSource}; key names are in
 * {@link dev.parley.internal.config.ConfigKeys}; docs/CONFIG.md is the user-facing description.
 * Not API: anything in this package can change or disappear in any release.
 */
package dev.parley.internal.config;
