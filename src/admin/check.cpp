// tagwatch-admin check and stats: is every file of the data folder sound (SQLite's
// integrity check, TimeTagger's schema, file names) and private (the key 0600, no folder
// readable by everyone); and how much is in it.
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <sstream>

#include "admin/admin.hpp"
#include "auth/credentials.hpp"
#include "store/naming.hpp"
#include "store/sqlite.hpp"
#include "util/clock.hpp"

namespace tagwatch::admin {

const char* const kCheckHelp =
    "Usage: tagwatch-admin check [--fix-permissions]\n"
    "Checks the data folder and says what is wrong, one line each, exiting 1 when anything is:\n"
    "  - the folder is not inside a web root (public_html, htdocs, /var/www/html, ...),\n"
    "    and it and users/ are not readable by everyone (mode 0700 or 0750);\n"
    "  - jwt.key is a non-empty key of mode 0600; credentials (if any) parses and is\n"
    "    not readable by everyone;\n"
    "  - every user file passes SQLite's integrity check, has TimeTagger's tables and\n"
    "    columns, and has a name that TimeTagger would give it; throttle.db and teams.db too\n"
    "    (teams.db of mode 0600).\n"
    "--fix-permissions sets the modes it checks (folders 0700, jwt.key and credentials 0600).\n"
    "It only reads the user files, so it is safe while the server runs.\n"
    "With the setting database (PostgreSQL) it checks the database instead: the schema, every\n"
    "user's row against their items, the JWT key and the credentials.\n";

const char* const kStatsHelp =
    "Usage: tagwatch-admin stats [--json]\n"
    "Per user: records (running, hidden), settings, the file's size and the last change;\n"
    "then the totals. --json prints the same as one JSON object. On PostgreSQL (the setting\n"
    "database) the bytes are those of the items' JSON texts.\n";

namespace {

struct Report {
    int problems = 0;
    void ok(const std::string& text) { std::cout << "ok       " << text << "\n"; }
    void problem(const std::string& text) {
        ++problems;
        std::cout << "PROBLEM  " << text << "\n";
    }
    void note(const std::string& text) { std::cout << "note     " << text << "\n"; }
};

std::string octal(mode_t mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

// `bad` are the permission bits that must be off; `fixed` is the mode --fix-permissions sets.
void check_mode(Report& r, const std::string& path, const struct stat& st, mode_t bad, mode_t fixed,
                bool fix, const std::string& why) {
    if ((st.st_mode & bad) == 0) {
        r.ok(path + " has mode " + octal(st.st_mode));
        return;
    }
    if (fix && chmod(path.c_str(), fixed) == 0) {
        r.ok(path + " had mode " + octal(st.st_mode) + ", now " + octal(fixed));
        return;
    }
    r.problem(path + " has mode " + octal(st.st_mode) + ": " + why + " (chmod " +
              octal(fixed).substr(1) + " " + path + ", or check --fix-permissions)");
}

// The columns TimeTagger's item store has in each table.
const std::map<std::string, std::vector<std::string>>& schema() {
    static const std::map<std::string, std::vector<std::string>> tables = {
        {"records", {"_ob", "key", "st", "t1", "t2"}},
        {"settings", {"_ob", "key", "st"}},
        {"userinfo", {"_ob", "key", "st"}},
    };
    return tables;
}

void check_user_file(Report& r, const std::string& path) {
    try {
        sqlite::Connection db(path, sqlite::Open::read_write);
        auto result = db.column("PRAGMA integrity_check");
        if (result.size() != 1 || result[0] != "ok") {
            std::string text;
            for (size_t i = 0; i < result.size() && i < 5; ++i) text += (i ? "; " : "") + result[i];
            r.problem(path + " fails SQLite's integrity check: " + text);
            return;
        }
        std::string missing;
        for (const auto& [table, columns] : schema()) {
            auto have = db.column("SELECT name FROM pragma_table_info('" + table + "')");
            if (have.empty()) {
                missing += " table " + table + ";";
                continue;
            }
            for (const auto& c : columns) {
                bool found = false;
                for (const auto& h : have) found = found || h == c;
                if (!found) missing += " column " + table + "." + c + ";";
            }
        }
        if (!missing.empty())
            r.problem(path + " lacks TimeTagger's schema:" + missing);
        else
            r.ok(path + " is sound");
    } catch (const std::exception& e) {
        // SQLite refuses to read a badly damaged file before integrity_check can run.
        // SQLite's own words come last ("...: file is not a database").
        std::string message = e.what();
        if (auto colon = message.rfind(": "); colon != std::string::npos)
            message = message.substr(colon + 2);
        r.problem(path + " fails SQLite's integrity check: " + message);
    }
}

std::string json_escape(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\')
            out += '\\', out += static_cast<char>(c);
        else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else
            out += static_cast<char>(c);
    }
    return out + "\"";
}

long long file_size(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 ? static_cast<long long>(st.st_size) : 0;
}

}  // namespace

namespace {

// check on PostgreSQL: the schema, the per-user rows against the items, the key.
int check_database(PgDatabase& db) {
    Report r;
    r.ok("connected; tagwatch schema version " + std::to_string(db.schema_version()));
    const auto problems = db.check();
    for (const auto& p : problems) r.problem(p);
    if (problems.empty())
        r.ok("every table and index is there; every user's row matches its items");
    try {
        auto credentials = db.shared_credentials().value_or(Credentials{});
        for (const auto& [user, hash] : credentials)
            if (!valid_username(user) || !valid_password_hash(hash))
                r.problem("the credentials of '" + user + "' hold no valid user name and hash");
        r.ok("the credentials table lists " + std::to_string(credentials.size()) + " user(s)");
    } catch (const std::exception& e) {
        r.problem(e.what());
    }
    r.note(std::to_string(db.users().size()) + " user(s) with data");
    std::cout << (r.problems == 0 ? "no problems found"
                                  : std::to_string(r.problems) + " problem(s) found")
              << "\n";
    return r.problems == 0 ? 0 : 1;
}

}  // namespace

int cmd_check(Context& ctx, const std::vector<std::string>& argv) {
    Args args = parse_args(argv, {"fix-permissions"}, {});
    args.at_most(0);
    bool fix = args.has("fix-permissions");
    if (auto pg = pg_database(ctx)) {
        if (fix)
            throw UsageError("--fix-permissions is for a data folder; the data is in PostgreSQL");
        return check_database(*pg);
    }
    const std::string datadir = datadir_path(ctx);
    Report r;
    struct stat st {};
    if (stat(datadir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        std::cout << "PROBLEM  no data folder at " << datadir << "\n";
        return 1;
    }
    become_datadir_owner(datadir);
    check_mode(r, datadir, st, S_IRWXO, 0700, fix, "everyone on this machine can read the data");
    // The folders web servers and hosts serve by default: a data folder inside one can be
    // downloaded (keys, password hashes, everyone's records) unless the server is told not to.
    {
        char resolved[PATH_MAX];
        std::string real = realpath(datadir.c_str(), resolved) ? resolved : datadir;
        std::string padded = real + "/";
        for (const char* root : {"/public_html/", "/htdocs/", "/httpdocs/", "/wwwroot/",
                                 "/var/www/html/", "/srv/www/htdocs/"}) {
            if (padded.find(root) != std::string::npos) {
                r.problem(real + " looks like it is inside a web root (" + std::string(root) +
                          "): move it outside, where the web server cannot serve it");
                break;
            }
        }
    }

    std::string key = datadir + "/jwt.key";
    if (stat(key.c_str(), &st) != 0) {
        r.note(
            key +
            " is missing: the server makes a new one, which invalidates every token issued before");
    } else {
        check_mode(r, key, st, S_IRWXG | S_IRWXO | S_IXUSR, 0600, fix,
                   "the key signs every token: only its owner may read it");
        try {
            std::string text = read_file(key);
            while (!text.empty() &&
                   (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
                text.pop_back();
            if (text.size() < 32)
                r.problem(key + " holds only " + std::to_string(text.size()) +
                          " characters: too weak a key");
            else
                r.ok(key + " holds a key of " + std::to_string(text.size()) + " characters");
        } catch (const std::exception& e) {
            r.problem(e.what());
        }
    }

    std::string credentials = datadir + "/credentials";
    if (stat(credentials.c_str(), &st) == 0) {
        check_mode(r, credentials, st, S_IRWXO, 0600, fix,
                   "password hashes must not be readable by everyone");
        try {
            auto users = parse_credentials_file(credentials);
            r.ok(credentials + " lists " + std::to_string(users.size()) + " user(s)");
        } catch (const std::exception& e) {
            r.problem(e.what());
        }
    }

    std::string users = datadir + "/users";
    if (stat(users.c_str(), &st) == 0) {
        check_mode(r, users, st, S_IRWXO, 0700, fix, "everyone on this machine can read the data");
        std::vector<std::string> stray;
        auto files = user_files(datadir, &stray);
        for (const auto& [user, name] : files) check_user_file(r, users + "/" + name);
        for (const auto& s : stray)
            r.problem(
                users + "/" + s +
                " is not a user file (TimeTagger names them <clean>~<base64 of the name>.db)");
        r.note(std::to_string(files.size()) + " user file(s)");
    } else {
        r.note(users + " does not exist yet (no user has logged in)");
    }
    std::string throttle = datadir + "/throttle.db";
    if (stat(throttle.c_str(), &st) == 0) {
        try {
            sqlite::Connection db(throttle, sqlite::Open::read_write);
            auto result = db.column("PRAGMA integrity_check");
            if (result.size() == 1 && result[0] == "ok")
                r.ok(throttle + " is sound");
            else
                r.problem(
                    throttle +
                    " is damaged (the server replaces it by an empty one; deleting it is safe)");
        } catch (const std::exception& e) {
            r.problem(e.what());
        }
    }
    std::string teams = datadir + "/teams.db";
    if (stat(teams.c_str(), &st) == 0) {
        check_mode(r, teams, st, S_IRWXG | S_IRWXO, 0600, fix, "it says who sees whose time");
        try {
            sqlite::Connection db(teams, sqlite::Open::read_write);
            auto result = db.column("PRAGMA integrity_check");
            if (result.size() == 1 && result[0] == "ok")
                r.ok(teams + " is sound");
            else
                r.problem(teams + " is damaged (restore it from a backup: tagwatch-admin restore)");
        } catch (const std::exception& e) {
            r.problem(e.what());
        }
    }
    std::cout << (r.problems == 0 ? "no problems found"
                                  : std::to_string(r.problems) + " problem(s) found")
              << "\n";
    return r.problems == 0 ? 0 : 1;
}

int cmd_stats(Context& ctx, const std::vector<std::string>& argv) {
    Args args = parse_args(argv, {"json"}, {});
    args.at_most(0);
    using Row = PgDatabase::UserStats;
    std::vector<Row> rows;
    Row total;
    auto pg = pg_database(ctx);
    const std::string datadir = datadir_path(ctx);
    std::map<std::string, std::string> files;
    if (pg) {
        rows = pg->stats();  // bytes: the size of the items' JSON texts
        for (const Row& row : rows) {
            total.records += row.records, total.running += row.running, total.hidden += row.hidden;
            total.settings += row.settings, total.bytes += row.bytes;
            total.last = std::max(total.last, row.last);
        }
    } else {
        struct stat st {};
        if (stat(datadir.c_str(), &st) != 0)
            throw std::runtime_error("no data folder at " + datadir);
        become_datadir_owner(datadir);
        files = user_files(datadir);
    }
    for (const auto& [user, name] : files) {
        std::string path = datadir + "/users/" + name;
        sqlite::Connection db(path, sqlite::Open::read_write);
        Row row;
        row.user = user;
        auto one = [&](const std::string& sql) {
            auto v = db.column(sql);
            return v.empty() ? std::string() : v[0];
        };
        row.records = std::atoll(one("SELECT count(*) FROM records").c_str());
        row.running = std::atoll(one("SELECT count(*) FROM records WHERE t1 = t2").c_str());
        row.hidden = std::atoll(
            one("SELECT count(*) FROM records WHERE json_extract(_ob, '$.ds') LIKE 'HIDDEN%'")
                .c_str());
        row.settings = std::atoll(one("SELECT count(*) FROM settings").c_str());
        row.last = std::atof(one("SELECT max(m) FROM (SELECT max(st) AS m FROM records UNION ALL "
                                 "SELECT max(st) FROM settings)")
                                 .c_str());
        row.bytes = file_size(path) + file_size(path + "-wal");
        total.records += row.records, total.running += row.running, total.hidden += row.hidden;
        total.settings += row.settings, total.bytes += row.bytes;
        total.last = std::max(total.last, row.last);
        rows.push_back(row);
    }
    auto when = [](double t) -> std::string {
        if (t <= 0) return "-";
        return iso_utc(static_cast<int64_t>(t));
    };
    if (args.has("json")) {
        std::ostringstream out;
        out << "{\"users\": [";
        for (size_t i = 0; i < rows.size(); ++i) {
            const Row& r = rows[i];
            out << (i ? ", " : "") << "{\"user\": " << json_escape(r.user)
                << ", \"records\": " << r.records << ", \"running\": " << r.running
                << ", \"hidden\": " << r.hidden << ", \"settings\": " << r.settings
                << ", \"bytes\": " << r.bytes << ", \"last_change\": " << json_escape(when(r.last))
                << "}";
        }
        out << "], \"total\": {\"users\": " << rows.size() << ", \"records\": " << total.records
            << ", \"settings\": " << total.settings << ", \"bytes\": " << total.bytes << "}}\n";
        std::cout << out.str();
        return 0;
    }
    std::printf("%-24s %8s %8s %7s %9s %11s  %s\n", "user", "records", "running", "hidden",
                "settings", "bytes", "last change (UTC)");
    for (const Row& r : rows)
        std::printf("%-24s %8lld %8lld %7lld %9lld %11lld  %s\n", r.user.c_str(), r.records,
                    r.running, r.hidden, r.settings, r.bytes, when(r.last).c_str());
    std::printf("%-24s %8lld %8lld %7lld %9lld %11lld  %s\n",
                ("total: " + std::to_string(rows.size()) + " user(s)").c_str(), total.records,
                total.running, total.hidden, total.settings, total.bytes, when(total.last).c_str());
    return 0;
}

}  // namespace tagwatch::admin
