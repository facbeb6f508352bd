package dev.parley.it.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a user of Parley's published artifacts relies on, checked on the jars this build made: it
 * runs after {@code package} (failsafe), when the reactor hands this module the jars themselves.
 * Every published jar names its module for the module path, the published jars resolve together
 * there (no package split between two of them), and {@code parley-bom} lists exactly these
 * artifacts at the project's version.
 */
class PublishedArtifactsIT {
  /** Every published jar: its artifactId, its Automatic-Module-Name, and a class it holds. */
  static Stream<Arguments> published() {
    return Stream.of(
        Arguments.of("rpc-core", "dev.parley.core", "dev.parley.RemoteFunction"),
        Arguments.of("rpc-crypto", "dev.parley.crypto", "dev.parley.crypto.SecureKey"),
        Arguments.of("rpc-codegen", "dev.parley.codegen", "dev.parley.codegen.RemoteFunctionProcessor"),
        Arguments.of("rpc-server", "dev.parley.server", "dev.parley.server.RpcServer"),
        Arguments.of("rpc-client", "dev.parley.client", "dev.parley.client.ClientModule"),
        Arguments.of("rpc-testing", "dev.parley.testing", "dev.parley.testing.ParleyServer"),
        Arguments.of("rpc-cli", "dev.parley.cli", "dev.parley.cli.Parley"),
        Arguments.of("rpc-micrometer", "dev.parley.micrometer", "dev.parley.micrometer.ParleyServerMetrics"));
  }

  @ParameterizedTest(name = "{0}''s jar is the automatic module {1}")
  @MethodSource("published")
  void eachPublishedJarNamesItsModule(String artifactId, String moduleName, String className) throws Exception {
    Path jar = jarOf(artifactId, className);
    try (JarFile file = new JarFile(jar.toFile())) {
      assertEquals(moduleName, file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"),
          jar + ": Automatic-Module-Name");
    }
    Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
    assertEquals(1, found.size(), jar + " as a module");
    ModuleDescriptor descriptor = found.iterator().next().descriptor();
    assertEquals(moduleName, descriptor.name(), "the JDK's name for " + jar);
    assertTrue(descriptor.isAutomatic(), jar + " is an automatic module");
  }

  @Test
  void thePublishedJarsResolveTogetherOnTheModulePath() throws Exception {
    List<Path> jars = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Arguments arguments : published().toList()) {
      Object[] a = arguments.get();
      jars.add(jarOf((String) a[0], (String) a[2]));
      names.add((String) a[1]);
    }
    // Resolution fails if two of these modules hold the same package (a split package).
    Configuration configuration = Configuration.resolve(ModuleFinder.of(jars.toArray(Path[]::new)),
        List.of(ModuleLayer.boot().configuration()), ModuleFinder.of(), names);
    assertEquals(new TreeSet<>(names),
        configuration.modules().stream().map(ResolvedModule::name).collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void theBomListsEveryPublishedArtifactAtTheProjectVersion() throws Exception {
    Path pom = Path.of(System.getProperty("parley.bom", "../parley-bom/pom.xml"));
    assertTrue(Files.isRegularFile(pom), "no BOM at " + pom.toAbsolutePath());
    Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    Element project = document.getDocumentElement();
    assertFalse(hasChild(project, "parent"), "the BOM has no parent (it would pass the parent's pins on)");
    assertEquals("dev.parley", text(project, "groupId"));
    assertEquals("parley-bom", text(project, "artifactId"));
    assertEquals("pom", text(project, "packaging"));
    assertEquals(System.getProperty("parley.version"), text(project, "version"), "the BOM's version");

    Set<String> listed = new TreeSet<>();
    NodeList dependencies = child(child(project, "dependencyManagement"), "dependencies")
        .getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      String artifactId = text(dependency, "artifactId");
      assertEquals("dev.parley", text(dependency, "groupId"), artifactId);
      assertEquals("${project.version}", text(dependency, "version"), artifactId);
      listed.add(artifactId);
    }
    Set<String> expected = published().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, listed);
  }

  /** The jar a class was loaded from; the reactor gives failsafe the jars it packaged. */
  private static Path jarOf(String artifactId, String className) throws ClassNotFoundException, URISyntaxException {
    Class<?> type = Class.forName(className, false, PublishedArtifactsIT.class.getClassLoader());
    Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(Files.isRegularFile(location) && location.getFileName().toString().startsWith(artifactId + "-")
            && location.getFileName().toString().endsWith(".jar"),
        className + " was loaded from " + location + ", not from " + artifactId
            + "'s jar: run this through the reactor (mvn verify from the repository root)");
    return location;
  }

  private static boolean hasChild(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
  }

  private static String text(Element parent, String name) {
    return child(parent, name).getTextContent().trim();
  }
}
