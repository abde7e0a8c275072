package org.mptcpstate;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The package graph as rules over the compiled product classes: no cycles, each package uses only what its
 * package-info.java says, check and reconcile reach the kernel only through its ports, and sun.misc is used by
 * one class. A new edge fails here first; so does a new package, until it is given its place.
 */
class PackageGraphTest {
    private static final String ROOT = "org.mptcpstate";

    /** Each package and the packages it may use (besides itself), in pipeline order. */
    static final Map<String, Set<String>> ALLOWED = allowed();

    private static Map<String, Set<String>> allowed() {
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        allowed.put("state", Set.of());
        allowed.put("document", Set.of("state"));
        allowed.put("netlink", Set.of());
        allowed.put("kernel", Set.of("state", "netlink"));
        allowed.put("plan", Set.of("state"));
        allowed.put("check", Set.of("state", "kernel"));
        allowed.put("reconcile", Set.of("state", "plan", "kernel"));
        allowed.put("persist", Set.of());
        allowed.put("cli", Set.of("state", "document", "kernel", "plan", "check", "reconcile", "persist"));
        return allowed;
    }

    /** What of the kernel package others may use: its ports and their failures, not the netlink adapters. */
    private static final Set<String> KERNEL_PORT = Set.of(
            "MptcpKernel",
            "KernelEvents",
            "KernelEvents$Wait",
            "NetworkChange",
            "NetworkChange$AddressAdded",
            "NetworkChange$AddressRemoved",
            "NetworkChange$LinkChanged",
            "NetworkChange$LinkRemoved",
            "NetworkFacts",
            "NetworkFacts$RouteLookup",
            "NetworkFacts$EndpointManager",
            "NetworkFacts$Neighbour");

    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(ROOT);

    @Test
    void everyProductPackageHasItsPlace() {
        Set<String> packages = new TreeSet<>();
        for (JavaClass type : PRODUCT) {
            packages.add(type.getPackageName());
        }
        Set<String> known = new TreeSet<>();
        for (String name : ALLOWED.keySet()) {
            known.add(ROOT + "." + name);
        }
        assertThat(packages)
                .as("packages of the product (give a new one its place in ALLOWED)")
                .isEqualTo(known);
    }

    @Test
    void noCycles() {
        cycles(ROOT).check(PRODUCT);
    }

    @Test
    void eachPackageUsesOnlyWhatItMay() {
        for (ArchRule rule : edges(ROOT, ALLOWED)) {
            rule.check(PRODUCT);
        }
    }

    @Test
    void checkAndReconcileReachTheKernelThroughItsPorts() {
        for (String user : List.of("check", "reconcile")) {
            noClasses()
                    .that()
                    .resideInAPackage(ROOT + "." + user)
                    .should()
                    .dependOnClassesThat(
                            new DescribedPredicate<JavaClass>("kernel classes other than its ports" + " and failures") {
                                @Override
                                public boolean test(JavaClass type) {
                                    return type.getPackageName().equals(ROOT + ".kernel") && !isPort(type);
                                }
                            })
                    .check(PRODUCT);
        }
    }

    private static boolean isPort(JavaClass type) {
        String name = type.getName().substring((ROOT + ".kernel.").length());
        return KERNEL_PORT.contains(name) || type.isAssignableTo(ROOT + ".kernel.KernelException");
    }

    @Test
    void onlySignalsUsesSunMisc() {
        noClasses()
                .that()
                .resideOutsideOfPackage("sun.misc..")
                .and()
                .doNotHaveFullyQualifiedName(ROOT + ".cli.Signals")
                .and()
                .doNotHaveFullyQualifiedName(ROOT + ".cli.Signals$Adapter")
                .and()
                .doNotHaveFullyQualifiedName(ROOT + ".cli.Signals$Installed")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("sun.misc..")
                .check(PRODUCT);
    }

    /** The rules catch what they are for: a cycle and a forbidden edge among the fixture packages. */
    @Test
    void theRulesFailOnACycleAndOnAForbiddenEdge() {
        String fixture = ROOT + ".graphfixture";
        JavaClasses classes = new ClassFileImporter().importPackages(fixture);
        assertThat(classes).as("fixture classes").isNotEmpty();
        assertThatThrownBy(() -> cycles(fixture).check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected");
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        allowed.put("lower", Set.of());
        allowed.put("upper", Set.of("lower"));
        List<AssertionError> failures = new ArrayList<>();
        for (ArchRule rule : edges(fixture, allowed)) {
            try {
                rule.check(classes);
            } catch (AssertionError e) {
                failures.add(e);
            }
        }
        assertThat(failures).as("the lower package uses the upper one").hasSize(1);
        assertThat(failures.get(0))
                .hasMessageContaining("graphfixture.lower.Lower")
                .hasMessageContaining("graphfixture.upper.Upper");
    }

    private static ArchRule cycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    private static List<ArchRule> edges(String root, Map<String, Set<String>> allowed) {
        List<ArchRule> rules = new ArrayList<>();
        for (Map.Entry<String, Set<String>> entry : allowed.entrySet()) {
            List<String> forbidden = new ArrayList<>();
            for (String other : allowed.keySet()) {
                if (!other.equals(entry.getKey()) && !entry.getValue().contains(other)) {
                    forbidden.add(root + "." + other + "..");
                }
            }
            if (!forbidden.isEmpty()) {
                rules.add(noClasses()
                        .that()
                        .resideInAPackage(root + "." + entry.getKey() + "..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(forbidden.toArray(new String[0]))
                        .because(entry.getKey() + " may use "
                                + (entry.getValue().isEmpty()
                                        ? "nothing of ours"
                                        : String.join(", ", new TreeSet<>(entry.getValue())))));
            }
        }
        return rules;
    }
}
