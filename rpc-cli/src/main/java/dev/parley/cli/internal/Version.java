package dev.parley.cli.internal;

import picocli.CommandLine.IVersionProvider;

/** {@code parley --version}: the version from parley.jar's manifest. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Version.class.getPackage().getImplementationVersion();
    return new String[] {"parley " + (version == null ? "(development build)" : version)
        + ", Java " + Runtime.version()};
  }
}
