// RehabCore for Android: the uniffi-generated Kotlin (src/main/kotlin, committed
// and checked by scripts/bindings.sh --check) plus librehab_core.so for four
// ABIs in src/main/jniLibs (not committed), published as an AAR with
// maven-publish: org.rehabcore:rehabcore-android:<version in Cargo.toml>.
//
// NOT RUN on the project's Linux build machines (no Gradle, no Android SDK/NDK,
// no Maven Central, rustup cannot add Android targets there); written for
// AGP 8.7 / Kotlin 2.0 / Gradle 8.9+ and checked by reading. See README.md here.
//
// The AAR is made from PREBUILT libraries by default, so that neither a consuming
// app nor a release build of this module needs a Rust toolchain:
//   ./gradlew assembleRelease        checks that src/main/jniLibs holds the four
//                                    ABIs, then packages them with the Kotlin
//   ./gradlew publishReleasePublicationToMavenLocal   (or ...ToRehabRepository:
//                                    -Prehabcore.mavenRepo=<folder or URL>)
// Building the libraries from source is a developer option:
//   ./gradlew assembleRelease -Prehabcore.buildRust=true    cargo ndk (4 ABIs) first
//   ./gradlew cargoNdkBuild  -Prehabcore.buildRust=true     only the .so files
//   ./gradlew hostTests              the Kotlin binding tests (tests/kotlin) on
//                                    the host JVM against target/debug/librehab_core.so
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.library") version "8.7.3"
    kotlin("android") version "2.0.21"
    `maven-publish`
}

val repoRoot: File = rootDir.resolve("../..").canonicalFile
val jniLibsDir: File = file("src/main/jniLibs")
// Developer option: build the four libraries with cargo-ndk before packaging.
val buildRust: Boolean = providers.gradleProperty("rehabcore.buildRust").orNull == "true"
val cargoProfile: String = providers.gradleProperty("rehabcore.cargoProfile").getOrElse("release")
val androidAbis = listOf("arm64-v8a", "armeabi-v7a", "x86_64", "x86")

// One version for the crate and every artifact: [package] version in Cargo.toml.
val cargoVersion: String = repoRoot.resolve("Cargo.toml").readLines()
    .dropWhile { it.trim() != "[package]" }.drop(1)
    .takeWhile { !it.trim().startsWith("[") }
    .firstNotNullOfOrNull { Regex("""^version\s*=\s*"([^"]+)"""").find(it.trim())?.groupValues?.get(1) }
    ?: error("no [package] version in ${repoRoot.resolve("Cargo.toml")}")

group = "org.rehabcore"
version = cargoVersion

android {
    namespace = "org.rehabcore"
    compileSdk = 35

    defaultConfig {
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    sourceSets {
        getByName("main") {
            // rehab_core.kt (generated) and SessionFlows.kt (hand-written).
            java.srcDirs("src/main/kotlin")
            jniLibs.srcDirs("src/main/jniLibs")
        }
        getByName("test") {
            // The Kotlin binding tests shared with scripts/test-kotlin.sh. They
            // are a main() harness (tests/kotlin/Main.kt), not JUnit classes:
            // `testDebugUnitTest` only compiles them; `hostTests` runs them.
            java.srcDirs("../../tests/kotlin")
        }
    }

    packaging {
        // JNA's aar brings libjnidispatch.so per ABI; keep the libraries
        // uncompressed and page-aligned (the default for minSdk >= 23), so they
        // load in place on 16 KB-page devices too.
        jniLibs.useLegacyPackaging = false
    }

    publishing {
        singleVariant("release") {
            withSourcesJar()
        }
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

dependencies {
    // The generated code calls librehab_core.so through JNA; the aar carries
    // JNA's libjnidispatch.so for every Android ABI. 5.17.0 is the first JNA
    // whose Android libjnidispatch.so loads on 16 KB-page devices: 5.16.0 added
    // max-page-size=16384 (JNA #1642) but still crashed there (#1647); 5.17.0
    // adds common-page-size=16384 (#1654). `api`: apps call JNA types through
    // the bindings, so the published POM lists it as a compile dependency.
    api("net.java.dev.jna:jna:5.17.0@aar")
    // uniffi's async functions are Kotlin `suspend` functions.
    api("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.8.0")

    // Host JVM tests: the plain JNA jar (it has libjnidispatch for desktop OSes).
    testImplementation("net.java.dev.jna:jna:5.17.0")
    testImplementation("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.8.0")
}

// --- Rust: librehab_core.so for the four Android ABIs ---------------------------
// By default the libraries are prebuilt (a release job, or a developer once with
// -Prehabcore.buildRust=true) and checked before packaging. Their LOAD segments
// are 16 KB-aligned: build.rs passes -z max-page-size=16384 for Android targets.
// Building needs: cargo-ndk (cargo install cargo-ndk), the Android NDK (ANDROID_NDK_HOME,
// or ndk.dir / the SDK's ndk/ folder, which cargo-ndk finds itself) and
//   rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android i686-linux-android
// --no-default-features leaves out the `cli` and `bindgen` features (the
// command-line tool and uniffi-bindgen), which the library does not use.
val cargoNdkBuild by tasks.registering(Exec::class) {
    group = "rust"
    description = "Builds librehab_core.so for arm64-v8a, armeabi-v7a, x86_64 and x86 into src/main/jniLibs (cargo-ndk)"
    onlyIf { buildRust }
    workingDir = repoRoot
    commandLine(
        "cargo", "ndk",
        "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64", "-t", "x86",
        "--platform", "26",
        "-o", jniLibsDir.absolutePath,
        "build", "--lib", "--no-default-features",
        "--profile", cargoProfile,
    )
    inputs.dir(repoRoot.resolve("src"))
    inputs.files(repoRoot.resolve("Cargo.toml"), repoRoot.resolve("Cargo.lock"))
    inputs.property("cargoProfile", cargoProfile)
    outputs.dir(jniLibsDir)
}

// Fails the build, before anything is packaged or published, when an ABI's
// library is missing: an AAR without them would load nothing on a phone.
val checkJniLibs by tasks.registering {
    group = "rust"
    description = "Checks that src/main/jniLibs holds librehab_core.so for the four ABIs"
    dependsOn(cargoNdkBuild)
    inputs.dir(jniLibsDir).optional()
    doLast {
        val missing = androidAbis.filter { !jniLibsDir.resolve("$it/librehab_core.so").isFile }
        if (missing.isNotEmpty()) {
            throw GradleException(
                "librehab_core.so missing for ${missing.joinToString()} in $jniLibsDir. " +
                    "Put the prebuilt libraries there, or build them: -Prehabcore.buildRust=true " +
                    "(needs cargo-ndk, the NDK and the Rust Android targets; see README.md)."
            )
        }
    }
}

tasks.named("preBuild") { dependsOn(checkJniLibs) }
// The jniLibs merge must see the freshly built libraries (also when a task is
// run directly, e.g. mergeReleaseJniLibFolders).
tasks.matching { it.name.startsWith("merge") && it.name.endsWith("JniLibFolders") }
    .configureEach { dependsOn(checkJniLibs) }

// --- Publishing: org.rehabcore:rehabcore-android:<Cargo.toml version> -----------
//   ./gradlew publishReleasePublicationToMavenLocal
//   ./gradlew publishReleasePublicationToRehabRepository -Prehabcore.mavenRepo=/path/or/url
publishing {
    publications {
        register<MavenPublication>("release") {
            groupId = "org.rehabcore"
            artifactId = "rehabcore-android"
            version = cargoVersion
            afterEvaluate { from(components["release"]) }
            pom {
                name.set("RehabCore for Android")
                description.set(
                    "Kotlin bindings (uniffi) and librehab_core.so for arm64-v8a, armeabi-v7a, " +
                        "x86_64 and x86: the Rust core of a home stroke-rehabilitation exercise app."
                )
                licenses {
                    license {
                        name.set("MPL-2.0")
                        url.set("https://mozilla.org/MPL/2.0/")
                    }
                }
            }
        }
    }
    repositories {
        providers.gradleProperty("rehabcore.mavenRepo").orNull?.let { repo ->
            maven {
                name = "rehab"
                url = if ("://" in repo) uri(repo) else uri(file(repo))
            }
        }
    }
}

// --- Host JVM tests --------------------------------------------------------------
// The same run as scripts/test-kotlin.sh: the tests' main() on the host JVM, with
// JNA loading the host build of the library (target/debug/librehab_core.so),
// cwd = repo root (the tests read tests/data/...). Exit code = the harness's.
val cargoBuildHost by tasks.registering(Exec::class) {
    group = "rust"
    description = "Builds the host librehab_core (debug) for the JVM tests"
    workingDir = repoRoot
    commandLine("cargo", "build", "--lib")
}

tasks.register<JavaExec>("hostTests") {
    group = "verification"
    description = "Runs tests/kotlin (main() harness) on the host JVM against target/debug/librehab_core.so"
    dependsOn(cargoBuildHost, "compileDebugUnitTestKotlin")
    mainClass.set("MainKt")
    workingDir = repoRoot
    systemProperty("jna.library.path", repoRoot.resolve("target/debug").absolutePath)
    val runtime = configurations.named("debugUnitTestRuntimeClasspath").map { conf ->
        conf.incoming.artifactView {
            attributes { attribute(Attribute.of("artifactType", String::class.java), "android-classes-jar") }
        }.files
    }
    classpath = files(
        layout.buildDirectory.dir("tmp/kotlin-classes/debugUnitTest"),
        layout.buildDirectory.dir("tmp/kotlin-classes/debug"),
        runtime,
    )
}
