// Kotlin binding tests: run every suite through the generated bindings and the real library.
import org.rehabcore.tests.T
import kotlin.system.exitProcess

fun main() {
    val suites = listOf<Pair<String, () -> Unit>>(
        "foundation" to ::foundationTests,
        "session" to ::sessionTests,
        "streams" to ::streamTests,
        "live data" to ::liveDataTests,
        "feeds" to ::feedTests,
        "progress" to ::progressTests,
        "export" to ::exportTests,
        "report" to ::reportTests,
    )
    for ((name, suite) in suites) {
        println("# $name")
        try {
            suite()
        } catch (e: Throwable) {
            T.check("$name suite ran to the end", false) { "(${e::class.qualifiedName}: ${e.message})" }
        }
    }
    println("kotlin: ${T.passed} passed, ${T.failed} failed")
    exitProcess(if (T.failed == 0 && T.passed > 0) 0 else 1)
}
