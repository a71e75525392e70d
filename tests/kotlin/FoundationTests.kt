// The foundation: object, records, enums, typed errors, suspend functions, listeners, closing.
import kotlinx.coroutines.runBlocking
import org.rehabcore.*
import org.rehabcore.tests.T
import java.util.concurrent.CopyOnWriteArrayList

class RecordingListener : DataListener {
    val changes = CopyOnWriteArrayList<DataChange>()
    override fun onChange(change: DataChange) {
        changes.add(change)
    }
}

class ThrowingListener : DataListener {
    override fun onChange(change: DataChange) {
        throw ListenerException.Failed("boom")
    }
}

fun foundationTests(): Unit = runBlocking {
    val dir = T.tempDir()
    val dbPath = java.io.File(dir, "rehab.db").path
    val core = RehabCore(dbPath)
    T.check("opening creates the database file", java.io.File(dbPath).exists())
    T.check("schema version is positive", core.schemaVersion() >= 1u)
    T.equal("database path is reported", core.databasePath(), dbPath)

    val listener = RecordingListener()
    val failing = ThrowingListener()
    val subscription = core.subscribe(listener)
    val failingSub = core.subscribe(failing)
    T.check("subscription starts active", subscription.isActive())

    // suspend function whose SQLite work runs on the core's threads
    val callerThread = Thread.currentThread().name
    val ana = core.createProfile(NewProfile("Ana", Side.LEFT, "Europe/Madrid"))
    T.equal("created profile keeps its name", ana.name, "Ana")
    T.equal("created profile keeps its side enum", ana.affectedSide, Side.LEFT)
    T.check("created profile has an id", ana.id > 0)
    T.check("caller thread still usable after await", Thread.currentThread().name == callerThread)

    T.equal("listener heard one change despite a throwing listener", listener.changes.size, 1)
    val change = listener.changes.firstOrNull()
    T.check("listener got ProfileAdded with the profile", change is DataChange.ProfileAdded && change.profile == ana) { "($change)" }

    val ben = core.createProfile(NewProfile("Ben", Side.RIGHT, "America/Mexico_City"))
    T.equal("profiles lists both, oldest first", core.profiles().map { it.name }, listOf("Ana", "Ben"))
    T.equal("profile(id) reads one back", core.profile(ben.id), ben)

    subscription.cancel()
    T.check("cancelled subscription is inactive", !subscription.isActive())
    core.createProfile(NewProfile("Cy", Side.BOTH, "UTC"))
    T.equal("cancelled listener hears nothing more", listener.changes.size, 2)
    failingSub.close()

    val notFound = T.throws<RehabException.NotFound>("unknown profile id throws RehabException.NotFound") {
        runBlocking { core.profile(9999) }
    }
    T.check("NotFound message is readable", notFound?.message?.contains("no profile with id 9999") == true) { "(${notFound?.message})" }
    T.equal("the exception message is the readable sentence alone", notFound?.message, "not found: no profile with id 9999")
    T.equal("NotFound carries what was looked for", notFound?.what, "profile")
    T.equal("NotFound carries the id", notFound?.id, 9999L)
    T.throws<RehabException.InvalidInput>("empty name throws RehabException.InvalidInput") {
        runBlocking { core.createProfile(NewProfile("", Side.NONE, "UTC")) }
    }

    core.close()
    T.throws<IllegalStateException>("a closed core refuses calls") { core.schemaVersion() }

    // A database from a newer app version is refused and untouched.
    val future = java.io.File(dir, "future.db")
    val supported = RehabCore(future.path).use { it.schemaVersion() }
    val bytes = future.readBytes()
    bytes[60] = 0; bytes[61] = 0; bytes[62] = 0x03; bytes[63] = 0xE7.toByte() // user_version = 999 (big-endian at offset 60)
    future.writeBytes(bytes)
    val tooNew = T.throws<RehabException.DatabaseTooNew>("a newer database throws DatabaseTooNew") { RehabCore(future.path) }
    T.check("DatabaseTooNew message says newer", tooNew?.message?.contains("newer") == true) { "(${tooNew?.message})" }
    T.check("DatabaseTooNew message is a sentence, not a field list", tooNew?.message?.startsWith("the database has schema version 999") == true) { "(${tooNew?.message})" }
    T.equal("DatabaseTooNew carries the version found", tooNew?.found, 999u)
    T.equal("DatabaseTooNew carries the version supported", tooNew?.supported, supported)
    T.check("the newer file is left byte-for-byte untouched", future.readBytes().contentEquals(bytes))

    val junk = java.io.File(dir, "notes.txt").apply { writeText("not a database\n".repeat(50)) }
    T.throws<RehabException.DatabaseUnreadable>("a non-SQLite file throws DatabaseUnreadable") { RehabCore(junk.path) }
    Unit
}
