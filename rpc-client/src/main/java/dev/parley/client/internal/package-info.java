/**
 * The machinery behind {@link dev.parley.client.ClientModule}. Not API: anything in this package can
 * change or disappear in any release.
 */
package dev.parley.client.internal;
