// The therapist report through the bindings: the HTML carries the range's totals,
// escapes user text, loads nothing from the network, and switches language.
import kotlinx.coroutines.runBlocking
import org.rehabcore.*
import org.rehabcore.tests.T
import java.io.File
import java.time.LocalDate

fun reportTests(): Unit = runBlocking {
    val core = RehabCore(File(T.tempDir(), "report.db").path)
    val ana = core.createProfile(NewProfile("Ana <b>", Side.LEFT, "Europe/Madrid"))
    core.storeCompletedSession(completedSession(ana.id, "2026-03-02T18:00:00", 60, 30))
    core.storeCompletedSession(completedSession(ana.id, "2026-03-04T18:00:00", 60, 45))
    core.storeCompletedSession(completedSession(ana.id, "2026-03-20T18:00:00", 60, 99)) // outside
    core.recordCheckIn(NewCheckIn(ana.id, CheckInTiming.Standalone, utcAt("2026-03-04T19:00:00", 60), 60, 3u.toUByte(), null, null, "felt <good>"))

    val html = core.therapistReport(ana.id, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-07"), "en")
    T.check("the report is an HTML document", html.startsWith("<!DOCTYPE html>"))
    T.check("total reps of the range", html.contains("data-test=\"total-reps\">75<")) { "(no 75)" }
    T.check("days practised", html.contains("data-test=\"days-practiced\">2<"))
    T.check("days in the range", html.contains("data-test=\"days-in-range\">7<"))
    T.check("names are escaped", html.contains("Ana &lt;b&gt;") && !html.contains("Ana <b>"))
    T.check("notes are escaped", html.contains("felt &lt;good&gt;"))
    T.check("nothing from the network", !html.contains("http://") && !html.contains("https://"))
    T.check("Spanish labels", core.therapistReport(ana.id, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-07"), "es-MX").contains("Repeticiones por día"))
    T.throws<RehabException.InvalidInput>("a range ending before it starts is rejected") {
        runBlocking { core.therapistReport(ana.id, LocalDate.parse("2026-03-07"), LocalDate.parse("2026-03-01"), "en") }
    }
    T.throws<RehabException.NotFound>("an unknown profile is not found") {
        runBlocking { core.therapistReport(ana.id + 100, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-07"), "en") }
    }
    core.close()
}
