// bindings/kotlin as a stand-alone Gradle build: one Android library module
// (this folder). An app can include it with
//   includeBuild("path/to/rehab_core/bindings/kotlin")   (settings.gradle.kts)
//   implementation("org.rehabcore:rehabcore-android")   (app dependencies; the
//   included build stands in for the published artifact of the same coordinates)
// or copy the module into its own build. Not run on the project's Linux
// machines (no Android SDK/NDK, no Maven Central there): see README.md.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "rehabcore-android"
