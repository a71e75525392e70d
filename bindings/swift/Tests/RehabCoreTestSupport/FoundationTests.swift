// The foundation: object, records, enums, typed errors, async functions, listeners, closing.
import Foundation
import RehabCore

final class RecordingListener: DataListener, @unchecked Sendable {
    private let lock = NSLock()
    private var _changes: [DataChange] = []
    var changes: [DataChange] { lock.lock(); defer { lock.unlock() }; return _changes }
    func onChange(change: DataChange) throws {
        lock.lock(); defer { lock.unlock() }
        _changes.append(change)
    }
}

final class ThrowingListener: DataListener, @unchecked Sendable {
    func onChange(change: DataChange) throws {
        throw ListenerError.Failed(reason: "boom")
    }
}

public func foundationTests() async throws {
    let dir = T.tempDir()
    let dbPath = dir.appendingPathComponent("rehab.db").path
    var core: RehabCore? = try RehabCore(path: dbPath)
    T.check("opening creates the database file", FileManager.default.fileExists(atPath: dbPath))
    T.check("schema version is positive", try core!.schemaVersion() >= 1)
    T.equal("database path is reported", core!.databasePath(), dbPath)

    let listener = RecordingListener()
    let subscription = core!.subscribe(listener: listener)
    let failingSub = core!.subscribe(listener: ThrowingListener())
    T.check("subscription starts active", subscription.isActive())

    let ana = try await core!.createProfile(profile: NewProfile(name: "Ana", affectedSide: .left, timeZone: "Europe/Madrid"))
    T.equal("created profile keeps its name", ana.name, "Ana")
    T.equal("created profile keeps its side enum", ana.affectedSide, .left)
    T.check("created profile has an id", ana.id > 0)
    T.equal("listener heard one change despite a throwing listener", listener.changes.count, 1)
    T.equal("listener got ProfileAdded with the profile", listener.changes.first, .profileAdded(profile: ana))

    let ben = try await core!.createProfile(profile: NewProfile(name: "Ben", affectedSide: .right, timeZone: "America/Mexico_City"))
    T.equal("profiles lists both, oldest first", try await core!.profiles().map { $0.name }, ["Ana", "Ben"])
    T.equal("profile(id:) reads one back", try await core!.profile(id: ben.id), ben)

    subscription.cancel()
    T.check("cancelled subscription is inactive", !subscription.isActive())
    _ = try await core!.createProfile(profile: NewProfile(name: "Cy", affectedSide: .both, timeZone: "UTC"))
    T.equal("cancelled listener hears nothing more", listener.changes.count, 2)
    _ = failingSub

    do {
        _ = try await core!.profile(id: 9999)
        T.check("unknown profile id throws RehabError.NotFound", false, "(nothing thrown)")
    } catch let error as RehabError {
        guard case let .NotFound(message, what, id) = error else {
            throw error
        }
        T.check("unknown profile id throws RehabError.NotFound", true)
        T.check("NotFound message is readable", message.contains("no profile with id 9999"), "(\(message))")
        T.equal("NotFound carries what was looked for", what, "profile")
        T.equal("NotFound carries the id", id, 9999)
        T.equal("errorDescription is the readable sentence", error.errorDescription, "not found: no profile with id 9999")
        T.equal("localizedDescription is the readable sentence", (error as Error).localizedDescription, "not found: no profile with id 9999")
    }
    do {
        _ = try await core!.createProfile(profile: NewProfile(name: "", affectedSide: .none, timeZone: "UTC"))
        T.check("empty name throws RehabError.InvalidInput", false, "(nothing thrown)")
    } catch RehabError.InvalidInput {
        T.check("empty name throws RehabError.InvalidInput", true)
    }

    // Releasing the last reference destroys the Rust object and closes the file.
    weak var weakCore = core
    core = nil
    T.check("the core is released when the last reference goes", weakCore == nil)

    // A database from a newer app version is refused and untouched.
    let future = dir.appendingPathComponent("future.db")
    let supported = try RehabCore(path: future.path).schemaVersion()
    var bytes = try Data(contentsOf: future)
    bytes.replaceSubrange(60..<64, with: [0, 0, 0x03, 0xE7]) // user_version = 999
    try bytes.write(to: future)
    do {
        _ = try RehabCore(path: future.path)
        T.check("a newer database throws DatabaseTooNew", false, "(nothing thrown)")
    } catch let RehabError.DatabaseTooNew(message, found, supportedVersion) {
        T.check("a newer database throws DatabaseTooNew", true)
        T.check("DatabaseTooNew message says newer", message.contains("newer"), "(\(message))")
        T.equal("DatabaseTooNew carries the version found", found, 999)
        T.equal("DatabaseTooNew carries the version supported", supportedVersion, supported)
    }
    T.check("the newer file is left byte-for-byte untouched", (try Data(contentsOf: future)) == bytes)

    let junk = dir.appendingPathComponent("notes.txt")
    try String(repeating: "not a database\n", count: 50).write(to: junk, atomically: true, encoding: .utf8)
    do {
        _ = try RehabCore(path: junk.path)
        T.check("a non-SQLite file throws DatabaseUnreadable", false, "(nothing thrown)")
    } catch RehabError.DatabaseUnreadable {
        T.check("a non-SQLite file throws DatabaseUnreadable", true)
    }
}
