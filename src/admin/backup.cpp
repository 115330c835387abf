// tagwatch-admin backup and restore: consistent copies of every user file (SQLite's
// online backup API, so the server keeps running and writing), the key and the
// credentials; and putting them back through SQLite too, so open connections stay valid.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <iostream>

#include "admin/admin.hpp"
#include "store/naming.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

namespace tagwatch::admin {

const char* const kBackupHelp =
    "Usage: tagwatch-admin backup DEST\n"
    "Copies every user file, jwt.key, credentials and the teams of the data folder into the "
    "folder\n"
    "DEST (made with mode 0700; it must be empty or new), while the server runs: each\n"
    "user file is copied with SQLite's online backup, so the copy is consistent and the\n"
    "server is not stopped. The copies are single files (journal mode delete), checked\n"
    "with SQLite's integrity check. DEST/tagwatch-backup.txt is written last and says\n"
    "what is in it: a folder without it is an unfinished backup. DEST is a data folder\n"
    "itself: TimeTagger or tagwatch can serve it as it is.\n";

const char* const kRestoreHelp =
    "Usage: tagwatch-admin restore SRC [--user USER] [--force]\n"
    "Puts the backup in SRC (a backup folder, or any data folder) back into the data folder,\n"
    "through SQLite, so a running server sees it at once. Every file of SRC is checked\n"
    "before anything is written. Restored users' clients reload all their data at their\n"
    "next sync (a force-reset), since changes made after the backup are gone.\n"
    "  --user USER  restore only that user's file (not the key, not the credentials)\n"
    "  --force      restore into a data folder that already has data (without --user, a\n"
    "               folder with data is refused, so nothing is overwritten by a typo)\n"
    "A damaged user file in the data folder (not a database any more) is replaced by the\n"
    "backup's copy. Users that are in the data folder but not in the backup are left as they "
    "are.\n";

namespace {

bool exists(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0;
}

bool empty_or_missing_dir(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return true;
    if (!S_ISDIR(st.st_mode)) return false;
    return user_files(path).empty() && !exists(path + "/jwt.key") &&
           !exists(path + "/credentials") && !exists(path + "/tagwatch-backup.txt") &&
           !exists(path + "/users");
}

std::string integrity(sqlite::Connection& db, const char* check = "PRAGMA integrity_check") {
    auto rows = db.column(check);
    std::string text;
    for (const auto& r : rows) text += (text.empty() ? "" : "; ") + r;
    return text;
}

// True when the file opens and passes SQLite's quick check.
bool sound(const std::string& path) {
    try {
        sqlite::Connection db(path, sqlite::Open::read_write);
        return integrity(db, "PRAGMA quick_check") == "ok";
    } catch (const std::exception&) {
        return false;
    }
}

// A damaged file cannot take a copy through SQLite (it cannot even be read): the copy is
// made beside it as a file of its own and renamed over it. The damaged file's -journal,
// -wal and -shm go first, or SQLite would apply them to the new file. A server that has
// the old file open sees another file under the name at its next request and opens it.
void replace_damaged(const std::string& from, const std::string& to) {
    const std::string partial = to + ".restore-" + std::to_string(getpid());
    unlink(partial.c_str());
    {
        sqlite::Connection source(from, sqlite::Open::read_only);
        sqlite::Connection target(partial, sqlite::Open::create);
        source.copy_to(target);
        target.exec("PRAGMA journal_mode=DELETE");
    }
    for (const char* suffix : {"-journal", "-wal", "-shm"}) unlink((to + suffix).c_str());
    if (rename(partial.c_str(), to.c_str()) != 0) {
        const int saved = errno;
        unlink(partial.c_str());
        throw std::runtime_error("cannot replace " + to + ": " + std::strerror(saved));
    }
}

// Copies one small file (key, credentials) with mode 0600, atomically.
void copy_secret(const std::string& from, const std::string& to) {
    write_file_atomically(to, read_file(from), 0600);
}

}  // namespace

// backup and restore copy a data folder's files; PostgreSQL has its own tools for that.
void refuse_database(const Context& ctx, const char* what) {
    if (!ctx.config.database.empty())
        throw UsageError(
            std::string(what) +
            " copies a data folder, and the data is in PostgreSQL (the setting "
            "database): use pg_dump or pg_basebackup (README, More than one machine), or "
            "tagwatch-admin migrate to copy it into a data folder");
}

int cmd_backup(Context& ctx, const std::vector<std::string>& argv) {
    refuse_database(ctx, "backup");
    Args args = parse_args(argv, {}, {});
    args.at_most(1);
    std::string dest = args.need(0, "DEST (the folder to write the backup into)");
    while (dest.size() > 1 && dest.back() == '/') dest.pop_back();
    const std::string datadir = datadir_path(ctx);
    struct stat st {};
    if (stat(datadir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw std::runtime_error("no data folder at " + datadir);
    if (!empty_or_missing_dir(dest))
        throw UsageError(dest + " is not empty: give a new or empty folder");
    // Made before switching to the data folder's owner (as root), then handed to that owner.
    auto made = make_private_dirs(dest);
    if (geteuid() == 0 && st.st_uid != 0) {
        for (const auto& dir : made)
            if (chown(dir.c_str(), st.st_uid, st.st_gid) != 0)
                throw std::runtime_error("cannot hand " + dir + " to the data folder's owner");
        if (made.empty() && chown(dest.c_str(), st.st_uid, st.st_gid) != 0)
            throw std::runtime_error("cannot hand " + dest + " to the data folder's owner");
    }
    become_datadir_owner(datadir);
    chmod(dest.c_str(), 0700);
    make_private_dirs(dest + "/users");

    auto files = user_files(datadir);
    size_t bytes = 0;
    for (const auto& [user, name] : files) {
        std::string from = datadir + "/users/" + name;
        std::string to = dest + "/users/" + name;
        std::string partial = to + ".partial";
        unlink(partial.c_str());
        {
            sqlite::Connection source(from, sqlite::Open::read_write);
            sqlite::Connection target(partial, sqlite::Open::create);
            source.copy_to(target);
            target.exec("PRAGMA journal_mode=DELETE");
            std::string check = integrity(target);
            if (check != "ok")
                throw std::runtime_error("the copy of " + from +
                                         " fails its integrity check: " + check);
        }
        chmod(partial.c_str(), 0600);
        if (rename(partial.c_str(), to.c_str()) != 0)
            throw std::runtime_error("cannot write " + to);
        struct stat copied {};
        if (stat(to.c_str(), &copied) == 0) bytes += static_cast<size_t>(copied.st_size);
        std::cout << "copied " << user << " (" << name << ")\n";
    }
    bool key = exists(datadir + "/jwt.key"), credentials = exists(datadir + "/credentials");
    if (key) copy_secret(datadir + "/jwt.key", dest + "/jwt.key");
    if (credentials) copy_secret(datadir + "/credentials", dest + "/credentials");
    // The teams (tagwatch-admin teams), copied online like a user file.
    const bool teams = exists(datadir + "/teams.db");
    if (teams) {
        sqlite::Connection source(datadir + "/teams.db", sqlite::Open::read_write);
        sqlite::Connection target(dest + "/teams.db", sqlite::Open::create);
        source.copy_to(target);
        target.exec("PRAGMA journal_mode=DELETE");
    }
    std::string manifest =
        "tagwatch backup\nversion: " TAGWATCH_VERSION "\nmade: " + iso_utc(std::time(nullptr)) +
        "\nfrom: " + datadir + "\nusers: " + std::to_string(files.size()) +
        "\njwt.key: " + (key ? "yes" : "no") + "\ncredentials: " + (credentials ? "yes" : "no") +
        "\nteams: " + (teams ? "yes" : "no") + "\n";
    write_file_atomically(dest + "/tagwatch-backup.txt", manifest, 0600);
    std::cout << "backed up " << files.size() << " user(s), " << bytes << " bytes"
              << (key ? ", jwt.key" : "") << (credentials ? ", credentials" : "")
              << (teams ? ", teams" : "") << " into " << dest << "\n";
    return 0;
}

int cmd_restore(Context& ctx, const std::vector<std::string>& argv) {
    refuse_database(ctx, "restore");
    Args args = parse_args(argv, {"force"}, {"user"});
    args.at_most(1);
    std::string src = args.need(0, "SRC (a backup folder)");
    while (src.size() > 1 && src.back() == '/') src.pop_back();
    const std::string datadir = datadir_path(ctx);
    struct stat st {};
    if (stat((src + "/users").c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw UsageError(src + " is not a backup: it has no users/ folder");
    if (!exists(src + "/tagwatch-backup.txt"))
        std::cerr << "note: " << src
                  << " has no tagwatch-backup.txt (an unfinished backup, or a plain data folder)\n";
    if (stat(datadir.c_str(), &st) == 0) become_datadir_owner(datadir);

    std::vector<std::string> stray;
    auto files = user_files(src, &stray);
    if (args.has("user")) {
        std::string only = args.get("user");
        auto it = files.find(only);
        if (it == files.end()) throw UsageError("the backup has no data for user '" + only + "'");
        files = {*it};
    } else if (!args.has("force") && !empty_or_missing_dir(datadir)) {
        throw UsageError("the data folder " + datadir +
                         " already has data: --force restores into it anyway");
    }
    // Every file is checked before one byte is written.
    for (const auto& [user, name] : files) {
        sqlite::Connection source(src + "/users/" + name, sqlite::Open::read_only);
        std::string check = integrity(source);
        if (check != "ok")
            throw std::runtime_error(src + "/users/" + name +
                                     " fails its integrity check: " + check);
        auto tables =
            source.column("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        for (const char* needed : {"records", "settings", "userinfo"}) {
            bool found = false;
            for (const auto& t : tables) found = found || t == needed;
            if (!found)
                throw std::runtime_error(src + "/users/" + name + " has no " + needed +
                                         " table: not a user file");
        }
    }
    make_private_dirs(datadir);
    make_private_dirs(datadir + "/users");
    for (const auto& [user, name] : files) {
        std::string to = datadir + "/users/" + name;
        if (exists(to) && !sound(to)) {
            replace_damaged(src + "/users/" + name, to);
            std::cout << "replaced the damaged " << to << "\n";
        } else {
            sqlite::Connection source(src + "/users/" + name, sqlite::Open::read_only);
            sqlite::Connection target(to, sqlite::Open::create);
            source.copy_to(target);
        }
        // Clients drop their cache and load the restored data at their next poll.
        close_databases();
        database(ctx)->user_store(user)->force_reset();
        std::cout << "restored " << user << "\n";
    }
    if (!args.has("user")) {
        if (exists(src + "/jwt.key")) {
            bool same = exists(datadir + "/jwt.key") &&
                        read_file(src + "/jwt.key") == read_file(datadir + "/jwt.key");
            if (!same) {
                copy_secret(src + "/jwt.key", datadir + "/jwt.key");
                std::cout
                    << "restored jwt.key (tokens issued with the replaced key stop working)\n";
            }
        }
        if (exists(src + "/credentials")) {
            copy_secret(src + "/credentials", datadir + "/credentials");
            std::cout << "restored credentials\n";
        }
        if (exists(src + "/teams.db")) {
            sqlite::Connection source(src + "/teams.db", sqlite::Open::read_only);
            sqlite::Connection target(datadir + "/teams.db", sqlite::Open::create);
            source.copy_to(target);
            std::cout << "restored teams\n";
        }
    }
    for (const auto& s : stray)
        std::cerr << "note: skipped " << src << "/users/" << s << " (not a user file)\n";
    std::cout << "restored " << files.size() << " user(s) into " << datadir << "\n";
    return 0;
}

}  // namespace tagwatch::admin
