/**
 * Parley's machinery shared by the server and client modules. Not API: anything in this package can
 * change or disappear in any release.
 */
package dev.parley.internal;
