// RehabCore for Android: the uniffi-generated Kotlin (src/main/kotlin, committed
// and checked by scripts/bindings.sh --check) plus librehab_core.so for four
// ABIs, built from the Rust crate two folders up with cargo-ndk into
// src/main/jniLibs (not committed).
//
// NOT RUN on the project's Linux build machines (no Android SDK/NDK, no Maven
// Central, rustup cannot add Android targets there); written for AGP 8.7 /
// Kotlin 2.0 / Gradle 8.9+. See README.md in this folder.
//
//   ./gradlew assembleRelease        cargo ndk (4 ABIs) + the AAR
//   ./gradlew cargoNdkBuild          only the Rust libraries into src/main/jniLibs
//   ./gradlew hostTests              the Kotlin binding tests (tests/kotlin) on
//                                    the host JVM against target/debug/librehab_core.so
//   ./gradlew assembleRelease -Prehabcore.skipCargo=true   package prebuilt .so files
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.library") version "8.7.3"
    kotlin("android") version "2.0.21"
}

val repoRoot: File = rootDir.resolve("../..").canonicalFile
val jniLibsDir: File = file("src/main/jniLibs")
val skipCargo: Boolean = providers.gradleProperty("rehabcore.skipCargo").orNull == "true"
val cargoProfile: String = providers.gradleProperty("rehabcore.cargoProfile").getOrElse("release")

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
        // uncompressed and page-aligned (the default for minSdk >= 23).
        jniLibs.useLegacyPackaging = false
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

dependencies {
    // The generated code calls librehab_core.so through JNA; the aar carries
    // JNA's libjnidispatch.so for every Android ABI.
    implementation("net.java.dev.jna:jna:5.13.0@aar")
    // uniffi's async functions are Kotlin `suspend` functions.
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.8.0")

    // Host JVM tests: the plain JNA jar (it has libjnidispatch for desktop OSes).
    testImplementation("net.java.dev.jna:jna:5.13.0")
    testImplementation("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.8.0")
}

// --- Rust: librehab_core.so for the four Android ABIs ---------------------------
// Needs: cargo-ndk (cargo install cargo-ndk), the Android NDK (ANDROID_NDK_HOME,
// or ndk.dir / the SDK's ndk/ folder, which cargo-ndk finds itself) and
//   rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android i686-linux-android
// --no-default-features leaves out the `cli` and `bindgen` features (the
// command-line tool and uniffi-bindgen), which the library does not use.
val cargoNdkBuild by tasks.registering(Exec::class) {
    group = "rust"
    description = "Builds librehab_core.so for arm64-v8a, armeabi-v7a, x86_64 and x86 into src/main/jniLibs (cargo-ndk)"
    onlyIf { !skipCargo }
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

tasks.named("preBuild") { dependsOn(cargoNdkBuild) }
// The jniLibs merge must see the freshly built libraries (also when a task is
// run directly, e.g. mergeReleaseJniLibFolders).
tasks.matching { it.name.startsWith("merge") && it.name.endsWith("JniLibFolders") }
    .configureEach { dependsOn(cargoNdkBuild) }

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
