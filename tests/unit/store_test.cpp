// Unit tests of src/store on real SQLite files under build/tmp/: TimeTagger's
// schema and file names, serving a copy of TimeTagger's own data folder, the
// merge and st rules of PUT, the updates poll, record queries, seeds, the cache.
#include "store/store.hpp"

#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "model/pyjson.hpp"
#include "store/datafolder.hpp"
#include "store/naming.hpp"
#include "temp_dir.hpp"
#include "util/error.hpp"

using namespace tagwatch;
namespace fs = std::filesystem;

using tagwatch_test::temp_dir;

namespace {

// TimeTagger's data folder (the read-only fixture); tests only ever use copies.
std::string fixture_dir() { return tagwatch_test::fixture_path("timetagger-datadir"); }

struct FixtureUser {
    std::string name, expected;
};
const FixtureUser kFixtureUsers[] = {
    {"alice", "expected-alice.json"},
    {"bob@example.com", "expected-bob.json"},
    {"zo\xc3\xab", "expected-zoe.json"},
};

// A datadir holding a copy of the fixture's users/ files.
std::string copy_fixture_datadir() {
    const std::string dir = temp_dir("fixture");
    fs::create_directories(dir + "/users");
    for (const auto& e : fs::directory_iterator(fixture_dir() + "/data/users")) {
        const auto to = dir + "/users/" + e.path().filename().string();
        fs::copy_file(e.path(), to);
        fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write);
    }
    return dir;
}

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document doc;
    std::string error;
    BOOST_REQUIRE_MESSAGE(parse_json(text, doc, &error),
                          "invalid JSON: " << error << ": " << text.substr(0, 200));
    return doc;
}

// Direct SQL on a file, independent of the code under test.
struct RawDb {
    sqlite3* db = nullptr;
    explicit RawDb(const std::string& path) {
        BOOST_REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    }
    ~RawDb() { sqlite3_close(db); }
    std::vector<std::vector<std::string>> rows(const std::string& sql) {
        std::vector<std::vector<std::string>> out;
        sqlite3_stmt* st = nullptr;
        BOOST_REQUIRE_MESSAGE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK,
                              sqlite3_errmsg(db));
        while (sqlite3_step(st) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
                row.emplace_back(t ? std::string(t, sqlite3_column_bytes(st, i)) : "<null>");
            }
            out.push_back(std::move(row));
        }
        sqlite3_finalize(st);
        return out;
    }
    void exec(const std::string& sql) {
        BOOST_REQUIRE_MESSAGE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK,
                              sqlite3_errmsg(db));
    }
};

// TimeTagger's part of a file's schema (everything but the indexes of ours), and ours.
std::vector<std::vector<std::string>> schema_of(const std::string& path) {
    RawDb db(path);
    return db.rows(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'tagwatch\\_%' "
        "ESCAPE '\\' ORDER BY name");
}
std::vector<std::string> ours_of(const std::string& path) {
    RawDb db(path);
    std::vector<std::string> names;
    for (const auto& row :
         db.rows("SELECT type || ' ' || name || ' ON ' || tbl_name FROM sqlite_master "
                 "WHERE name LIKE 'tagwatch\\_%' ESCAPE '\\' ORDER BY name"))
        names.push_back(row[0]);
    return names;
}
const std::vector<std::string> kOurIndexes = {"index tagwatch_records_duration ON records",
                                              "index tagwatch_records_running ON records"};

PutResult put(UserStore& store, Kind kind, const std::string& json) {
    auto doc = parse(json);
    BOOST_REQUIRE(doc.IsArray());
    return store.put_items(kind, doc);
}

// key -> item of a JSON array of items.
std::map<std::string, rapidjson::Document> by_key(const std::string& array_json) {
    auto doc = parse(array_json);
    BOOST_REQUIRE(doc.IsArray());
    std::map<std::string, rapidjson::Document> out;
    for (const auto& item : doc.GetArray()) {
        rapidjson::Document d;
        d.CopyFrom(item, d.GetAllocator());
        out.emplace(item["key"].GetString(), std::move(d));
    }
    return out;
}

std::vector<std::string> keys_of(const std::string& array_json) {
    std::vector<std::string> keys;
    for (auto& [k, v] : by_key(array_json)) keys.push_back(k);
    return keys;
}

// The stored _ob text and st column of one item.
std::pair<std::string, double> stored(const std::string& path, const std::string& table,
                                      const std::string& key) {
    RawDb db(path);
    sqlite3_stmt* st = nullptr;
    const std::string sql = "SELECT _ob, st FROM " + table + " WHERE key = ?";
    BOOST_REQUIRE(sqlite3_prepare_v2(db.db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    sqlite3_bind_text(st, 1, key.c_str(), -1, SQLITE_TRANSIENT);
    std::pair<std::string, double> out{"<missing>", -1};
    if (sqlite3_step(st) == SQLITE_ROW)
        out = {reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
               sqlite3_column_double(st, 1)};
    sqlite3_finalize(st);
    return out;
}

// A store on a fresh file with a clock the test sets.
struct ClockedStore {
    std::string dir = temp_dir("clocked");
    std::string path = dir + "/u.db";
    double now = 1000.0;
    UserFile store{path, "wal"};
    ClockedStore() {
        store.set_clock([this] { return now; });
    }
};

std::string rec(const std::string& key, int64_t mt, int64_t t1, int64_t t2,
                const char* ds = nullptr) {
    std::string s = "{\"key\": \"" + key + "\", \"mt\": " + std::to_string(mt) +
                    ", \"t1\": " + std::to_string(t1) + ", \"t2\": " + std::to_string(t2);
    if (ds) s += std::string(", \"ds\": \"") + ds + "\"";
    return s + "}";
}

RecordFilter range(double a, double b) {
    RecordFilter f;
    f.t_from = a;
    f.t_to = b;
    return f;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(naming)

BOOST_AUTO_TEST_CASE(file_names_as_timetagger) {
    BOOST_TEST(user_filename("alice") == "alice~YWxpY2U=.db");
    BOOST_TEST(user_filename("zo\xc3\xab") == "zo-~em_Dqw==.db");
    BOOST_TEST(user_filename("bob@example.com") == "bob-example-com~Ym9iQGV4YW1wbGUuY29t.db");
    BOOST_TEST(user_filename("a_b-C9") == "a_b-C9~YV9iLUM5.db");
    BOOST_TEST(user_filename("\xf0\x9f\x98\x80") == "-~8J-YgA==.db");  // one character, one '-'
}

BOOST_AUTO_TEST_CASE(hostile_names_stay_inside_users_dir) {
    for (const char* name :
         {"../etc", "../../x", "/etc/passwd", "..", ".", "a/b", "~", "a~b.db", "\\..\\x"}) {
        const std::string f = user_filename(name);
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(f.find('/') == std::string::npos);
            BOOST_TEST(f.find("..") == std::string::npos);
            BOOST_TEST(f.find('\\') == std::string::npos);
            BOOST_TEST(username_from_filename(f).value_or("") == name);
        }
    }
    BOOST_TEST(user_filename("../etc") == "---etc~Li4vZXRj.db");
}

BOOST_AUTO_TEST_CASE(filename_inverse_validates) {
    BOOST_TEST(username_from_filename("zo-~em_Dqw==.db").value_or("") == "zo\xc3\xab");
    BOOST_TEST(username_from_filename("bob-example-com~Ym9iQGV4YW1wbGUuY29t.db").value_or("") ==
               "bob@example.com");
    BOOST_TEST(!username_from_filename("alice~YWxpY2U=.db-wal"));
    BOOST_TEST(!username_from_filename("alice~YWxpY2U=.txt"));
    BOOST_TEST(!username_from_filename("alice.db"));
    BOOST_TEST(!username_from_filename("bob~YWxpY2U=.db"));    // clean part does not match
    BOOST_TEST(!username_from_filename("alice~YWxpY2U.db"));   // padding missing
    BOOST_TEST(!username_from_filename("alice~YWxpY2V=.db"));  // non-canonical last character
    BOOST_TEST(!username_from_filename("-~_w==.db"));          // decodes to 0xff: not UTF-8
    BOOST_TEST(!username_from_filename("~.db"));               // empty name
    for (const auto& e : fs::directory_iterator(fixture_dir() + "/data/users")) {
        auto name = username_from_filename(e.path().filename().string());
        BOOST_TEST(name.has_value());
        if (name) BOOST_TEST(user_filename(*name) == e.path().filename().string());
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(store)

BOOST_AUTO_TEST_CASE(new_file_has_timetagger_schema_exactly_and_two_indexes_of_ours) {
    const std::string dir = temp_dir("schema");
    { UserFile s(dir + "/new.db", "wal"); }
    const std::string fixture = fixture_dir() + "/data/users/alice~YWxpY2U=.db";
    BOOST_TEST(schema_of(dir + "/new.db") == schema_of(fixture));
    BOOST_TEST(ours_of(dir + "/new.db") == kOurIndexes, boost::test_tools::per_element());
    BOOST_TEST(ours_of(fixture).empty());
    RawDb db(dir + "/new.db");
    BOOST_TEST(db.rows("PRAGMA journal_mode")[0][0] == "wal");
    { UserFile s(dir + "/del.db", "delete"); }
    RawDb del(dir + "/del.db");
    BOOST_TEST(del.rows("PRAGMA journal_mode")[0][0] == "delete");
    BOOST_CHECK_THROW(UserFile(dir + "/x.db", "memory"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(missing_tables_are_added_to_an_existing_file) {
    // TimeTagger's login makes a file with only userinfo in it.
    const std::string dir = temp_dir("partial");
    {
        RawDb db(dir + "/p.db");
        db.exec(
            "CREATE TABLE userinfo (_ob TEXT NOT NULL, key NOT NULL PRIMARY KEY, st) WITHOUT "
            "ROWID");
        db.exec("CREATE INDEX idx_userinfo_key ON userinfo (key)");
        db.exec("CREATE INDEX idx_userinfo_st ON userinfo (st)");
        db.exec(
            R"(INSERT INTO userinfo VALUES ('{"key": "webtoken_seed", "st": 1.5, "mt": 1.5, "value": "abc"}', 'webtoken_seed', 1.5))");
    }
    UserFile s(dir + "/p.db", "delete");
    BOOST_TEST(schema_of(dir + "/p.db") ==
               schema_of(fixture_dir() + "/data/users/alice~YWxpY2U=.db"));
    BOOST_TEST(ours_of(dir + "/p.db") == kOurIndexes, boost::test_tools::per_element());
    BOOST_TEST(s.get_seed("webtoken_seed", [] { return std::string("new"); }) == "abc");
}

BOOST_AUTO_TEST_CASE(fixture_records_and_settings_served_as_timetagger_did) {
    const std::string datadir = copy_fixture_datadir();
    for (const auto& user : kFixtureUsers) {
        BOOST_TEST_CONTEXT(user.name) {
            BOOST_REQUIRE(open_database({datadir, "wal"})->user_exists(user.name));
            auto store = open_database({datadir, "wal"})->user_store(user.name);
            auto expected = parse(read_file(fixture_dir() + "/" + user.expected));
            for (const char* what : {"records", "settings"}) {
                const std::string got = std::string(what) == "records"
                                            ? store->get_records_json(range(0, 4102444800.0))
                                            : store->get_settings_json();
                auto got_items = by_key(got);
                const auto& exp_items = expected[what];
                BOOST_TEST(got_items.size() == exp_items.Size());
                for (const auto& e : exp_items.GetArray()) {
                    auto it = got_items.find(e["key"].GetString());
                    BOOST_TEST_CONTEXT(e["key"].GetString()) {
                        BOOST_REQUIRE(it != got_items.end());
                        BOOST_TEST(
                            (it->second == e));  // field for field, number for number (st too)
                    }
                }
                // The stored texts go out untouched: the answer is exactly the
                // rows' _ob texts joined.
                RawDb db(store->path());
                size_t total = 2;
                auto rows = db.rows(std::string("SELECT _ob FROM ") + what);
                for (const auto& row : rows) {
                    BOOST_TEST(got.find(row[0]) != std::string::npos);
                    total += row[0].size() + 1;
                }
                BOOST_TEST(got.size() == total - (rows.empty() ? 0 : 1));
            }
            // Updates since 0: everything, no reset (TimeTagger wrote no reset_time).
            auto up = store->get_updates(0);
            BOOST_TEST(!up.reset);
            BOOST_TEST(by_key(up.records_json).size() == expected["records"].Size());
            BOOST_TEST(by_key(up.settings_json).size() == expected["settings"].Size());
            BOOST_TEST(store->reset_time() == -1.0);
        }
    }
    close_databases();
}

BOOST_AUTO_TEST_CASE(make_ob_reproduces_every_fixture_item_byte_for_byte) {
    int checked = 0;
    for (const auto& e : fs::directory_iterator(fixture_dir() + "/data/users")) {
        RawDb db(e.path().string());
        for (auto [table, kind] :
             {std::pair{"records", Kind::records}, std::pair{"settings", Kind::settings}}) {
            for (const auto& row : db.rows(std::string("SELECT _ob FROM ") + table)) {
                auto doc = parse(row[0]);
                auto v = validate_item(kind, doc);
                BOOST_TEST_CONTEXT(row[0]) {
                    BOOST_REQUIRE(v.ok);
                    BOOST_TEST(make_ob(kind, v.item, doc["st"].GetDouble()) == row[0]);
                    BOOST_TEST(restamp_ob(row[0], doc["st"].GetDouble()) == row[0]);
                }
                ++checked;
            }
        }
    }
    BOOST_TEST(checked > 900);
}

BOOST_AUTO_TEST_CASE(fixture_seeds_read_and_schema_kept_after_writes) {
    const std::string datadir = copy_fixture_datadir();
    const std::string path = user_store_path(datadir, "alice");
    const auto before = schema_of(path);
    {
        UserFile s(path, "wal");
        BOOST_TEST(s.get_seed("webtoken_seed", [] { return std::string("never"); }) ==
                   "Y4QwdjBOEX0");
        BOOST_TEST(s.get_seed("apitoken_seed", [] { return std::string("never"); }) ==
                   "9BpKjqFr-eE");
        auto r = put(s, Kind::records, "[" + rec("ADUdRPPg", 1900000000, 1, 2, "changed") + "]");
        BOOST_TEST(r.accepted.size() == 1u);
        put(s, Kind::settings, R"([{"key": "workdays", "mt": 1900000000, "value": 1}])");
        s.force_reset();
        s.reset_seed("apitoken_seed", [] { return std::string("fresh"); });
    }
    BOOST_TEST(schema_of(path) == before);
    BOOST_TEST(ours_of(path) == kOurIndexes, boost::test_tools::per_element());
    RawDb db(path);
    BOOST_TEST(db.rows("PRAGMA integrity_check")[0][0] == "ok");
    BOOST_TEST(db.rows("SELECT count(*) FROM records")[0][0] == "311");
}

BOOST_AUTO_TEST_CASE(put_stores_timetagger_text_and_columns) {
    ClockedStore c;
    c.now = 1795819517.9090009;
    auto r =
        put(c.store, Kind::records,
            R"([{"key": "k1", "mt": 5, "t1": "10", "t2": 20.7, "ds": "#caf\u00e9", "junk": 1}])");
    BOOST_TEST(r.accepted == std::vector<std::string>{"k1"});
    BOOST_TEST(r.failed.empty());
    BOOST_TEST(r.errors.empty());
    RawDb db(c.path);
    auto rows = db.rows(
        "SELECT _ob, key, printf('%.17g', st), t1, t2, typeof(t1), typeof(st) FROM records");
    BOOST_REQUIRE(rows.size() == 1u);
    BOOST_TEST(
        rows[0][0] ==
        R"({"key": "k1", "mt": 5, "t1": 10, "t2": 20, "ds": "#caf\u00e9", "st": 1795819517.9090009})");
    BOOST_TEST(rows[0][1] == "k1");
    BOOST_TEST(stored(c.path, "records", "k1").second == 1795819517.9090009);  // the exact double
    BOOST_TEST(rows[0][3] == "10");
    BOOST_TEST(rows[0][4] == "20");
    BOOST_TEST(rows[0][5] == "integer");
    BOOST_TEST(rows[0][6] == "real");

    put(c.store, Kind::settings,
        R"([{"key": "taginfo #a", "mt": 1, "value": {"color": "#ff7f0e", "targets": {}}}])");
    BOOST_TEST(
        c.store.get_settings_json() ==
        R"([{"key": "taginfo #a", "mt": 1, "value": {"color": "#ff7f0e", "targets": {}}, "st": 1795819517.9090009}])");
}

BOOST_AUTO_TEST_CASE(merge_rule_older_equal_newer) {
    ClockedStore c;
    c.now = 100;
    put(c.store, Kind::records, "[" + rec("k", 10, 1, 2, "first") + "]");

    // Older incoming: accepted, but the stored one wins and is re-stamped.
    c.now = 200;
    auto r = put(c.store, Kind::records, "[" + rec("k", 9, 1, 2, "older") + "]");
    BOOST_TEST(r.accepted == std::vector<std::string>{"k"});
    auto [ob, st] = stored(c.path, "records", "k");
    BOOST_TEST(ob == R"({"key": "k", "mt": 10, "t1": 1, "t2": 2, "ds": "first", "st": 200.0})");
    BOOST_TEST(st == 200.0);

    // Equal mt: the incoming one wins.
    c.now = 300;
    put(c.store, Kind::records, "[" + rec("k", 10, 3, 4, "equal") + "]");
    BOOST_TEST(stored(c.path, "records", "k").first ==
               R"({"key": "k", "mt": 10, "t1": 3, "t2": 4, "ds": "equal", "st": 300.0})");

    // Newer: wins, and the t1/t2 columns follow.
    c.now = 400;
    put(c.store, Kind::records, "[" + rec("k", 11, 5, 6) + "]");
    BOOST_TEST(stored(c.path, "records", "k").first ==
               R"({"key": "k", "mt": 11, "t1": 5, "t2": 6, "st": 400.0})");
    BOOST_TEST(keys_of(c.store.get_records_json(range(5, 6))) == std::vector<std::string>{"k"});
    BOOST_TEST(keys_of(c.store.get_records_json(range(1, 2))).empty());

    // An older item's columns stay those of the winner.
    c.now = 500;
    put(c.store, Kind::records, "[" + rec("k", 1, 100, 200) + "]");
    BOOST_TEST(keys_of(c.store.get_records_json(range(100, 200))).empty());
    BOOST_TEST(keys_of(c.store.get_records_json(range(5, 6))) == std::vector<std::string>{"k"});
}

BOOST_AUTO_TEST_CASE(failed_items_restamp_the_stored_one_and_keyless_errors_go_last) {
    ClockedStore c;
    c.now = 100;
    put(c.store, Kind::records, "[" + rec("k", 10, 1, 2, "keep") + "]");
    c.now = 200;
    auto r = put(c.store, Kind::records,
                 R"([5, {"key": "k", "mt": 11, "t1": true, "t2": 2}, {"nokey": 1},)"
                 R"( {"key": "new", "mt": 1, "t1": 1}, {"key": "ok", "mt": 1, "t1": 1, "t2": 2}])");
    BOOST_TEST(r.accepted == std::vector<std::string>{"ok"});
    BOOST_TEST((r.failed == std::vector<std::string>{"k", "new"}));
    BOOST_REQUIRE(r.errors.size() == 4u);
    BOOST_TEST(
        r.errors[0] ==
        "Record k: t1 must be an integer (a number, or a string of decimal digits) within 64 bits");
    BOOST_TEST(r.errors[1] == "A records is missing required fields: {'t2'}");
    BOOST_TEST(r.errors[2] == "Got item that is not a dict with str 'key' field.");
    BOOST_TEST(r.errors[3] == "Got item that is not a dict with str 'key' field.");
    // The existing item is unchanged but for a new st; the failed new one is not stored.
    BOOST_TEST(stored(c.path, "records", "k").first ==
               R"({"key": "k", "mt": 10, "t1": 1, "t2": 2, "ds": "keep", "st": 200.0})");
    BOOST_TEST(stored(c.path, "records", "new").first == "<missing>");
}

BOOST_AUTO_TEST_CASE(st_strictly_increases_per_key) {
    ClockedStore c;
    c.now = 1000.0;
    put(c.store, Kind::records, "[" + rec("k", 1, 1, 2) + "]");
    double prev = stored(c.path, "records", "k").second;
    BOOST_TEST(prev == 1000.0);
    for (int i = 0; i < 5; ++i) {  // the same clock reading: st still moves on
        put(c.store, Kind::records, "[" + rec("k", 1, 1, 2) + "]");
        const double st = stored(c.path, "records", "k").second;
        BOOST_TEST(st == prev + 0.0001);
        prev = st;
    }
    c.now = 10.0;  // another worker's clock behind
    put(c.store, Kind::records, "[" + rec("k", 0, 1, 2) + "]");
    BOOST_TEST(stored(c.path, "records", "k").second == prev + 0.0001);
    // A new key takes now as it is.
    put(c.store, Kind::records, "[" + rec("other", 0, 1, 2) + "]");
    BOOST_TEST(stored(c.path, "records", "other").second == 10.0);
    // The real clock, two stores on one file (two processes): strictly increasing.
    const std::string dir = temp_dir("two");
    UserFile a(dir + "/f.db", "wal"), b(dir + "/f.db", "wal");
    double last = -1;
    for (int i = 0; i < 20; ++i) {
        put(i % 2 ? a : b, Kind::settings, R"([{"key": "s", "mt": 1, "value": 1}])");
        const double st = stored(dir + "/f.db", "settings", "s").second;
        BOOST_TEST(st > last);
        last = st;
    }
}

BOOST_AUTO_TEST_CASE(same_key_twice_in_one_request_merges_in_order) {
    ClockedStore c;
    c.now = 50;
    auto r = put(c.store, Kind::records,
                 "[" + rec("k", 1, 1, 2, "a") + ", " + rec("k", 2, 1, 2, "b") + "]");
    BOOST_TEST((r.accepted == std::vector<std::string>{"k", "k"}));
    BOOST_TEST(stored(c.path, "records", "k").first ==
               R"({"key": "k", "mt": 2, "t1": 1, "t2": 2, "ds": "b", "st": 50.0001})");
    c.now = 60;
    put(c.store, Kind::records, "[" + rec("j", 5, 1, 2, "a") + ", " + rec("j", 3, 1, 2, "b") + "]");
    BOOST_TEST(stored(c.path, "records", "j").first ==
               R"({"key": "j", "mt": 5, "t1": 1, "t2": 2, "ds": "a", "st": 60.0001})");
}

BOOST_AUTO_TEST_CASE(items_older_than_a_reset_fail) {
    ClockedStore c;
    c.now = 100;
    put(c.store, Kind::records, "[" + rec("k", 150, 1, 2) + "]");
    c.now = 200.5;
    c.store.force_reset();
    BOOST_TEST(c.store.reset_time() == 200.5);
    RawDb db(c.path);
    BOOST_TEST(db.rows("SELECT _ob, st FROM userinfo WHERE key = 'reset_time'")[0][0] ==
               R"({"key": "reset_time", "st": 200.5, "mt": 200.5, "value": 200.5})");
    c.now = 300;
    auto r =
        put(c.store, Kind::records, "[" + rec("k", 200, 1, 2) + ", " + rec("n", 201, 1, 2) + "]");
    BOOST_TEST(r.failed == std::vector<std::string>{"k"});
    BOOST_TEST(r.accepted == std::vector<std::string>{"n"});
    BOOST_TEST(r.errors ==
               std::vector<std::string>{"Item was modified after a reset"});  // TimeTagger's text
    // The stored one is re-stamped, as for every failed item with a stored twin.
    BOOST_TEST(stored(c.path, "records", "k").first ==
               R"({"key": "k", "mt": 150, "t1": 1, "t2": 2, "st": 300.0})");
    auto s = put(c.store, Kind::settings, R"([{"key": "s", "mt": 199, "value": 1}])");
    BOOST_TEST(s.failed == std::vector<std::string>{"s"});
    BOOST_TEST(s.errors == std::vector<std::string>{"Item was modified after a reset"});
}

BOOST_AUTO_TEST_CASE(updates_since_semantics) {
    ClockedStore c;
    c.now = 90;
    // Nothing at all: the hot path answers min(since, now).
    auto up = c.store.get_updates(0);
    BOOST_TEST(!up.reset);
    BOOST_TEST(up.server_time == 0.0);
    BOOST_TEST(up.records_json == "[]");
    BOOST_TEST(up.settings_json == "[]");
    BOOST_TEST(c.store.get_updates(500).server_time == 90.0);

    c.now = 100;
    put(c.store, Kind::records, "[" + rec("r1", 1, 1, 2) + "]");
    c.now = 110;
    put(c.store, Kind::settings, R"([{"key": "s1", "mt": 1, "value": "x"}])");
    c.now = 150;
    up = c.store.get_updates(50);
    BOOST_TEST(!up.reset);
    BOOST_TEST(up.server_time == 150.0);  // the now read under the lock
    BOOST_TEST(keys_of(up.records_json) == std::vector<std::string>{"r1"});
    BOOST_TEST(keys_of(up.settings_json) == std::vector<std::string>{"s1"});
    up = c.store.get_updates(100);  // st >= since: inclusive
    BOOST_TEST(keys_of(up.records_json) == std::vector<std::string>{"r1"});
    up = c.store.get_updates(105);
    BOOST_TEST(up.records_json == "[]");
    BOOST_TEST(keys_of(up.settings_json) == std::vector<std::string>{"s1"});
    up = c.store.get_updates(110.00001);  // nothing new: hot path
    BOOST_TEST(up.server_time == 110.00001);
    BOOST_TEST(up.records_json == "[]");
    BOOST_TEST(up.settings_json == "[]");
    c.now = 100;  // a clock behind since: never answer a later time than now
    BOOST_TEST(c.store.get_updates(120).server_time == 100.0);

    // After a force-reset, a client at or before it gets everything and reset=true.
    c.now = 300;
    c.store.force_reset();
    c.now = 310;
    for (double since : {250.0, 300.0, 0.0}) {
        up = c.store.get_updates(since);
        BOOST_TEST(up.reset);
        BOOST_TEST(up.server_time == 310.0);
        BOOST_TEST(keys_of(up.records_json) == std::vector<std::string>{"r1"});
        BOOST_TEST(keys_of(up.settings_json) == std::vector<std::string>{"s1"});
    }
    up = c.store.get_updates(300.5);
    BOOST_TEST(!up.reset);
    BOOST_TEST(up.server_time == 300.5);
    BOOST_TEST(up.records_json == "[]");
}

BOOST_AUTO_TEST_CASE(timerange_rule) {
    ClockedStore c;
    put(c.store, Kind::records,
        "[" + rec("a", 1, 10, 20) + "," + rec("b", 1, 30, 40) + "," + rec("r", 1, 25, 25) + "," +
            rec("r2", 1, 50, 50) + "]");
    using V = std::vector<std::string>;
    BOOST_TEST((keys_of(c.store.get_records_json(range(0, 100))) == V{"a", "b", "r", "r2"}));
    BOOST_TEST(
        (keys_of(c.store.get_records_json(range(15, 15))) == V{"a"}));  // A == B: that moment
    BOOST_TEST((keys_of(c.store.get_records_json(range(20, 20))) == V{"a"}));  // inclusive ends
    BOOST_TEST(
        (keys_of(c.store.get_records_json(range(26, 26))) == V{"r"}));  // running reaches forward
    BOOST_TEST((keys_of(c.store.get_records_json(range(24, 24))).empty()));  // but not back
    BOOST_TEST(
        (keys_of(c.store.get_records_json(range(35, 32))) == V{"b", "r"}));  // A > B: spans only
    BOOST_TEST((keys_of(c.store.get_records_json(range(41, 60))) == V{"r", "r2"}));
    BOOST_TEST((keys_of(c.store.get_records_json(range(40, 40))) == V{"b", "r"}));
    BOOST_TEST(
        (keys_of(c.store.get_records_json(range(20.9, 21.9))) == V{"a"}));  // truncated: 20-21
    BOOST_TEST((keys_of(c.store.get_records_json(range(1e300, 1e300))) == V{"r", "r2"}));
    BOOST_TEST((keys_of(c.store.get_records_json(range(0, 9))).empty()));
}

BOOST_AUTO_TEST_CASE(running_hidden_and_tag_filters) {
    ClockedStore c;
    put(c.store, Kind::records,
        "[" + rec("plain", 1, 1, 2, "#dev work") + "," + rec("run", 1, 3, 3, "#Dev #50% x") + "," +
            rec("hid", 1, 4, 5, "HIDDEN #dev") + "," + rec("hid2", 1, 4, 5, "hidden #a_b") + "," +
            rec("nods", 1, 6, 7) + "," + rec("pct", 1, 8, 9, "#50x #axb #a\\\\b") + "]");
    using V = std::vector<std::string>;
    auto q = [&](auto setup) {
        RecordFilter f = range(0, 100);
        setup(f);
        return keys_of(c.store.get_records_json(f));
    };
    BOOST_TEST((q([](RecordFilter& f) { f.running = true; }) == V{"run"}));
    BOOST_TEST((q([](RecordFilter& f) { f.running = false; }) ==
                V{"hid", "hid2", "nods", "pct", "plain"}));
    BOOST_TEST((q([](RecordFilter& f) { f.hidden = true; }) == V{"hid", "hid2"}));
    BOOST_TEST((q([](RecordFilter& f) { f.hidden = false; }) == V{"nods", "pct", "plain", "run"}));
    BOOST_TEST((q([](RecordFilter& f) { f.tags = {"dev"}; }) == V{"hid", "plain", "run"}));
    BOOST_TEST((q([](RecordFilter& f) { f.tags = {"#DEV"}; }) == V{"hid", "plain", "run"}));
    BOOST_TEST((q([](RecordFilter& f) { f.tags = {"dev", "50%"}; }) == V{"run"}));
    BOOST_TEST((q([](RecordFilter& f) { f.tags = {"50%"}; }) == V{"run"}));
    BOOST_TEST((q([](RecordFilter& f) { f.tags = {"a_b"}; }) == V{"hid2"}));
    BOOST_TEST((q([](RecordFilter& f) { f.tags = {"a\\b"}; }) == V{"pct"}));
    BOOST_TEST((q([](RecordFilter& f) { f.tags = {"de"}; }).empty()));
    BOOST_TEST((q([](RecordFilter& f) {
                    f.tags = {"dev"};
                    f.hidden = false;
                    f.running = false;
                }) == V{"plain"}));
}

BOOST_AUTO_TEST_CASE(timerange_answers_timetaggers_condition_for_every_kind_of_record) {
    // The query is split in two and bounded by the longest record; whatever the records
    // (running, long, reversed, at the ends of int64) and ranges, the answer must be
    // exactly TimeTagger's (t2 >= A and t1 <= B) or (t1 == t2 and t1 <= B).
    ClockedStore c;
    struct R {
        std::string key;
        int64_t t1, t2;
    };
    std::vector<R> all;
    uint64_t seed = 42;
    auto next = [&seed](int64_t n) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<int64_t>((seed >> 33) % static_cast<uint64_t>(n));
    };
    std::string body = "[";
    for (int i = 0; i < 600; ++i) {
        R r{"r" + std::to_string(i), 0, 0};
        r.t1 = 1000 + next(100000);
        switch (i % 6) {
            case 0:
                r.t2 = r.t1;
                break;  // running
            case 1:
                r.t2 = r.t1 + next(50000);
                break;  // long
            case 2:
                r.t2 = r.t1 - next(500);
                break;  // reversed
            default:
                r.t2 = r.t1 + next(3600);
                break;  // an hour or less
        }
        all.push_back(r);
        body += (i ? "," : "") + rec(r.key, 1, r.t1, r.t2);
    }
    body += "]";
    BOOST_REQUIRE(put(c.store, Kind::records, body).accepted.size() == all.size());
    auto check = [&] {
        for (int q = 0; q < 200; ++q) {
            int64_t a = next(120000), b = a + next(20000);
            if (q % 10 == 0) std::swap(a, b);  // a reversed range too
            std::vector<std::string> want;
            for (const auto& r : all)
                if ((r.t2 >= a && r.t1 <= b) || (r.t1 == r.t2 && r.t1 <= b)) want.push_back(r.key);
            std::sort(want.begin(), want.end());
            BOOST_TEST_CONTEXT("range " << a << "-" << b) {
                BOOST_TEST(keys_of(c.store.get_records_json(range(a, b))) == want,
                           boost::test_tools::per_element());
                RecordFilter f = range(a, b);
                f.hidden = false;  // the query that reads ds too
                BOOST_TEST(keys_of(c.store.get_records_json(f)) == want,
                           boost::test_tools::per_element());
            }
        }
    };
    check();  // the longest record is about 14 hours
    // Then records at the ends of int64: one spans everything, two run from the far past
    // and the far future.
    all.push_back({"span", INT64_MIN + 5, INT64_MAX - 5});
    all.push_back({"future", INT64_MAX, INT64_MAX});
    all.push_back({"past", INT64_MIN, INT64_MIN});
    std::string extremes = "[";
    for (size_t i = all.size() - 3; i < all.size(); ++i)
        extremes += (extremes.size() > 1 ? "," : "") + rec(all[i].key, 1, all[i].t1, all[i].t2);
    BOOST_REQUIRE(put(c.store, Kind::records, extremes + "]").accepted.size() == 3u);
    check();
}

BOOST_AUTO_TEST_CASE(fixture_filters) {
    const std::string datadir = copy_fixture_datadir();
    auto store = open_database({datadir, "delete"})->user_store("alice");
    RecordFilter f = range(0, 4102444800.0);
    f.hidden = true;
    BOOST_TEST(keys_of(store->get_records_json(f)) == std::vector<std::string>{"hiddenAA"});
    f.hidden.reset();
    f.running = true;
    BOOST_TEST(keys_of(store->get_records_json(f)) == std::vector<std::string>{"runningA"});
    // Tags against an independent count over the expected answer (split on spaces).
    auto expected = parse(read_file(fixture_dir() + "/expected-alice.json"));
    for (const std::string tag : {"client/acme", "dev", "admin"}) {
        size_t count = 0;
        for (const auto& r : expected["records"].GetArray()) {
            if (!r.HasMember("ds")) continue;
            std::istringstream words(r["ds"].GetString());
            std::string w;
            bool has = false;
            while (words >> w) has |= w == "#" + tag;
            count += has;
        }
        RecordFilter t = range(0, 4102444800.0);
        t.tags = {tag};
        BOOST_TEST_CONTEXT(tag) {
            BOOST_TEST(count > 0u);
            BOOST_TEST(keys_of(store->get_records_json(t)).size() == count);
        }
    }
    close_databases();
}

BOOST_AUTO_TEST_CASE(seeds) {
    ClockedStore c;
    c.now = 1795819517.893358;
    int made = 0;
    auto make = [&] { return "seed" + std::to_string(++made); };
    BOOST_TEST(c.store.get_seed("webtoken_seed", make) == "seed1");
    BOOST_TEST(c.store.get_seed("webtoken_seed", make) == "seed1");
    BOOST_TEST(made == 1);
    BOOST_TEST(c.store.get_seed("apitoken_seed", make) == "seed2");
    BOOST_TEST(c.store.reset_seed("webtoken_seed", make) == "seed3");
    BOOST_TEST(c.store.get_seed("webtoken_seed", make) == "seed3");
    RawDb db(c.path);
    BOOST_TEST(
        db.rows("SELECT _ob FROM userinfo WHERE key = 'apitoken_seed'")[0][0] ==
        R"({"key": "apitoken_seed", "st": 1795819517.893358, "mt": 1795819517.893358, "value": "seed2"})");
    BOOST_CHECK_THROW(c.store.get_seed("reset_time", make), std::invalid_argument);
    // Seeds never disturb the poll: userinfo is not part of updates.
    BOOST_TEST(c.store.get_updates(0).records_json == "[]");
}

BOOST_AUTO_TEST_CASE(busy_file_answers_503_with_retry_after) {
    ClockedStore c;
    c.store.set_busy_timeout(50);
    RawDb other(c.path);
    other.exec("BEGIN IMMEDIATE");
    auto busy = [](const HttpError& e) {
        return e.status == 503 && e.retry_after > 0 &&
               std::string(e.what()).rfind("service unavailable: ", 0) == 0;
    };
    BOOST_CHECK_EXCEPTION(put(c.store, Kind::records, "[" + rec("k", 1, 1, 2) + "]"), HttpError,
                          busy);
    BOOST_CHECK_EXCEPTION(c.store.force_reset(), HttpError, busy);
    // Reading (WAL) and the nothing-new poll are not blocked by a writer.
    BOOST_TEST(c.store.get_records_json(range(0, 10)) == "[]");
    BOOST_TEST(!c.store.get_updates(5).reset);
    other.exec("ROLLBACK");
    // And the store works again afterwards (no transaction left open).
    BOOST_TEST(put(c.store, Kind::records, "[" + rec("k", 1, 1, 2) + "]").accepted.size() == 1u);
}

// In a child process: the disk is full for `path` (a small tmpfs of its own holding a copy
// when the process may mount one, else the largest file it may write, RLIMIT_FSIZE) and a
// big PUT is tried. Exit 0 when it answered 503 with Retry-After saying the disk is full.
int put_on_a_full_disk(const std::string& path, const std::string& big) {
    try {
        std::string file = path;
        const std::string small = fs::path(path).parent_path().string() + "/small";
        fs::create_directories(small);
        if (unshare(CLONE_NEWNS) == 0 &&
            mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
            mount("tmpfs", small.c_str(), "tmpfs", 0, "size=256k") == 0) {
            file = small + "/u.db";
            fs::copy_file(path, file);
        } else {
            signal(SIGXFSZ, SIG_IGN);
            struct rlimit limit {
                256 * 1024, 256 * 1024
            };
            setrlimit(RLIMIT_FSIZE, &limit);
        }
        UserFile s(file, "wal");
        auto doc = parse(big);
        s.put_items(Kind::records, doc);
        return 2;  // stored: the disk did not fill up
    } catch (const HttpError& e) {
        const std::string text = e.what();
        if (e.status == 503 && e.retry_after > 0 && text.find("disk is full") != std::string::npos)
            return 0;
        std::fprintf(stderr, "%d %s\n", e.status, e.what());
        return 3;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 4;
    }
}

BOOST_AUTO_TEST_CASE(a_full_disk_answers_503_and_loses_nothing_stored) {
    ClockedStore c;
    put(c.store, Kind::records, "[" + rec("before", 1, 1, 2) + "]");
    std::string big = "[";
    for (int i = 0; i < 2000; ++i)
        big += (i ? "," : "") + rec("big" + std::to_string(i), 1, i, i + 1, "#filling the disk up");
    big += "]";
    const pid_t pid = fork();
    if (pid == 0) _exit(put_on_a_full_disk(c.path, big));
    int status = 0;
    waitpid(pid, &status, 0);
    BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0), "child status " << status);
    // What was stored before stays, and the file is sound.
    BOOST_TEST(keys_of(c.store.get_records_json(range(0, 1e9))) ==
               std::vector<std::string>{"before"});
    RawDb db(c.path);
    BOOST_TEST(db.rows("PRAGMA integrity_check")[0][0] == "ok");
}

BOOST_AUTO_TEST_CASE(open_user_store_cache) {
    const std::string datadir = temp_dir("cache") + "/data";  // not there yet
    BOOST_TEST(!open_database({datadir, "wal"})->user_exists("bob@example.com"));
    auto a = open_database({datadir, "wal"})->user_store("bob@example.com");
    struct stat sb {};
    BOOST_REQUIRE(stat((datadir + "/users").c_str(), &sb) == 0);
    BOOST_TEST((sb.st_mode & 0777) == 0700u);
    BOOST_TEST(a->path() == datadir + "/users/bob-example-com~Ym9iQGV4YW1wbGUuY29t.db");
    BOOST_TEST(open_database({datadir, "wal"})->user_exists("bob@example.com"));
    BOOST_TEST(open_database({datadir, "wal"})->user_store("bob@example.com") == a);
    put(*a, Kind::records, "[" + rec("k", 1, 1, 2) + "]");

    // Deleted behind our back (an admin removing the user): a fresh file, no crash.
    fs::remove(a->path());
    fs::remove(a->path() + "-wal");
    fs::remove(a->path() + "-shm");
    auto b = open_database({datadir, "wal"})->user_store("bob@example.com");
    BOOST_TEST(b != a);
    BOOST_TEST(b->get_records_json(range(0, 10)) == "[]");

    // More users than the cache holds: all still usable.
    for (int i = 0; i < 20; ++i) {
        auto s = open_database({datadir, "wal"})->user_store("user" + std::to_string(i));
        put(*s, Kind::records, "[" + rec("k" + std::to_string(i), 1, 1, 2) + "]");
    }
    for (int i = 0; i < 20; ++i) {
        auto s = open_database({datadir, "wal"})->user_store("user" + std::to_string(i));
        BOOST_TEST(keys_of(s->get_records_json(range(0, 10))) ==
                   std::vector<std::string>{"k" + std::to_string(i)});
    }
    BOOST_TEST(open_database({datadir, "wal"})->user_exists("../etc") == false);
    auto hostile = open_database({datadir, "wal"})->user_store("../etc");
    BOOST_TEST(fs::path(hostile->path()).parent_path() == fs::path(datadir + "/users"));
    close_databases();
}

BOOST_AUTO_TEST_CASE(a_store_that_meets_a_damaged_file_is_dropped_and_the_file_opened_anew) {
    const std::string datadir = temp_dir("damaged") + "/data";
    auto db = open_database({datadir, "delete"});
    auto a = db->user_store("carl");
    put(*a, Kind::records, "[" + rec("k", 1, 1, 2) + "]");
    const std::string good = read_file(a->path());
    {  // damaged in place: same file, same inode, not a database any more
        std::ofstream f(a->path(), std::ios::binary | std::ios::in | std::ios::out);
        f << std::string(good.size(), 'Z');
    }
    try {
        a->get_records_json(range(0, 10));
        BOOST_FAIL("a damaged file was read");
    } catch (const HttpError&) {
        BOOST_FAIL("a damaged file is not a 503: waiting does not repair it");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()).find("not a database") != std::string::npos, e.what());
    }
    // The next request opens the file anew (not the broken connection), and fails the same.
    BOOST_CHECK_THROW(db->user_store("carl"), std::runtime_error);
    {  // repaired in place (a restore writes through SQLite or renames a file over it)
        std::ofstream f(a->path(), std::ios::binary | std::ios::in | std::ios::out);
        f << good;
    }
    auto c = db->user_store("carl");
    BOOST_TEST(c != a);
    BOOST_TEST(keys_of(c->get_records_json(range(0, 10))) == std::vector<std::string>{"k"});
    close_databases();
}

BOOST_AUTO_TEST_CASE(large_put_and_read) {
    ClockedStore c;
    std::string body = "[";
    for (int i = 0; i < 10000; ++i) {
        if (i) body += ",";
        body += rec("key" + std::to_string(i), 1, i * 10, i * 10 + 5, "#tag some words");
    }
    body += "]";
    auto r = put(c.store, Kind::records, body);
    BOOST_TEST(r.accepted.size() == 10000u);
    BOOST_TEST(by_key(c.store.get_updates(0).records_json).size() == 10000u);
    BOOST_TEST(by_key(c.store.get_records_json(range(0, 1e9))).size() == 10000u);
}

BOOST_AUTO_TEST_SUITE_END()
