// The Data Protection helper (FileProtection.swift): on Linux there is no Data
// Protection, so what is checked is which files it finds and that it never
// throws or creates a file; the attribute calls run on iOS only.
import Foundation
import RehabCore

public func protectionTests() async throws {
    let dir = T.tempDir()
    let db = dir.appendingPathComponent("rehab.db")
    T.equal("the database's files: itself, -wal, -shm, -journal",
            RehabFileProtection.files(forDatabase: db).map { $0.lastPathComponent },
            ["rehab.db", "rehab.db-wal", "rehab.db-shm", "rehab.db-journal"])

    // Before the core opens it, there is nothing to protect.
    T.equal("no files yet, nothing protected", try RehabFileProtection.protect(databaseAt: db), [])

    // An open core in WAL mode has the database and its -wal and -shm files.
    let core = try RehabCore(path: db.path)
    _ = try await core.createProfile(profile: NewProfile(name: "Ana", affectedSide: .left, timeZone: "Europe/Madrid"))
    let protected = try RehabFileProtection.protect(databaseAt: db)
    let names = protected.map { $0.lastPathComponent }
    T.check("the database is protected", names.first == "rehab.db", "(\(names))")
    T.check("its -wal and -shm files are protected", names.contains("rehab.db-wal") && names.contains("rehab.db-shm"), "(\(names))")
    T.check("a missing -journal is skipped, not created",
            !names.contains("rehab.db-journal") && !FileManager.default.fileExists(atPath: db.path + "-journal"))
    let withFolder = try RehabFileProtection.protect(databaseAt: db, includingFolder: true)
    T.equal("the folder comes first when asked for", withFolder.first?.standardizedFileURL.path, dir.standardizedFileURL.path)
    T.equal("the core still works after", try await core.profiles().count, 1)
}
