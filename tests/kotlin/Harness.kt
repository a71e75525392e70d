// A tiny assertion harness: one line per assertion, a closing "N passed, N failed".
package org.rehabcore.tests

object T {
    var passed = 0
    var failed = 0

    fun check(name: String, condition: Boolean, detail: () -> String = { "" }) {
        if (condition) {
            passed++
            println("ok - $name")
        } else {
            failed++
            println("FAILED - $name ${detail()}")
        }
    }

    fun <T> equal(name: String, actual: T, expected: T) =
        check(name, actual == expected) { "(expected <$expected>, got <$actual>)" }

    inline fun <reified E : Throwable> throws(name: String, block: () -> Unit): E? {
        return try {
            block()
            check(name, false) { "(nothing was thrown)" }
            null
        } catch (e: Throwable) {
            check(name, e is E) { "(threw ${e::class.qualifiedName}: ${e.message})" }
            e as? E
        }
    }

    fun tempDir(): java.io.File = java.nio.file.Files.createTempDirectory("rehab-kt").toFile().also { it.deleteOnExit() }
}
