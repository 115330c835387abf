// Unit tests of src/throttle: the sliding windows per user name and per address, the
// reset on success, sharing through the file, address keys, a corrupt file, and the
// LoginGuard's 429 answer with Retry-After.
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "throttle/throttle.hpp"

namespace fs = std::filesystem;
using namespace tagwatch;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        fs::create_directories("build/tmp");
        char templ[] = "build/tmp/throttle-unit-XXXXXX";
        path = fs::absolute(mkdtemp(templ));
    }
    ~TempDir() { fs::remove_all(path); }
    std::string db() const { return (path / "throttle.db").string(); }
};

struct FakeClock {
    double now = 1'800'000'000.0;
    std::function<double()> fn() {
        return [this] { return now; };
    }
};

Request request_from(const std::string& address) {
    return Request({{"REMOTE_ADDR", address}, {"REQUEST_METHOD", "POST"}}, [](char*, size_t) { return size_t{0}; });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(throttle)

BOOST_AUTO_TEST_CASE(five_failures_for_a_user_block_the_sixth_try_until_the_first_expires) {
    TempDir dir;
    FakeClock clock;
    LoginThrottle t(dir.db(), "wal");
    t.set_clock(clock.fn());
    for (int i = 0; i < 5; ++i) {
        BOOST_TEST(!t.retry_after("alice", "10.0.0." + std::to_string(i)).has_value());
        t.record("alice", "10.0.0." + std::to_string(i), false);
        clock.now += 10;
    }
    // The first failure was 50 s ago: it expires in 250 s.
    auto wait = t.retry_after("alice", "10.0.0.99");
    BOOST_REQUIRE(wait.has_value());
    BOOST_TEST(*wait == 250);
    // Other users from another address are not affected.
    BOOST_TEST(!t.retry_after("bob", "10.0.0.99").has_value());
    clock.now += 249.5;
    BOOST_TEST(t.retry_after("alice", "10.0.0.99").value_or(0) == 1);
    clock.now += 0.5;
    BOOST_TEST(!t.retry_after("alice", "10.0.0.99").has_value());
}

BOOST_AUTO_TEST_CASE(a_success_clears_the_users_failures) {
    TempDir dir;
    FakeClock clock;
    LoginThrottle t(dir.db(), "wal");
    t.set_clock(clock.fn());
    for (int i = 0; i < 4; ++i) t.record("alice", "10.0.0.1", false);
    t.record("alice", "10.0.0.1", true);
    for (int i = 0; i < 4; ++i) t.record("alice", "10.0.0.1", false);
    BOOST_TEST(!t.retry_after("alice", "10.0.0.1").has_value());
    t.record("alice", "10.0.0.1", false);
    BOOST_TEST(t.retry_after("alice", "10.0.0.1").has_value());
    t.clear_user("alice");
    BOOST_TEST(!t.retry_after("alice", "10.0.0.1").has_value());
}

BOOST_AUTO_TEST_CASE(an_address_guessing_many_users_is_blocked_and_a_success_does_not_clear_it) {
    TempDir dir;
    FakeClock clock;
    LoginThrottle t(dir.db(), "wal", ThrottleLimits{5, 20, 300});
    t.set_clock(clock.fn());
    for (int i = 0; i < 20; ++i) t.record("user" + std::to_string(i), "192.0.2.7", false);
    BOOST_TEST(t.retry_after("someone-new", "192.0.2.7").value_or(0) == 300);
    t.record("mallory", "192.0.2.7", true);  // the attacker's own valid account
    BOOST_TEST(t.retry_after("someone-new", "192.0.2.7").has_value());
    BOOST_TEST(!t.retry_after("someone-new", "192.0.2.8").has_value());
}

BOOST_AUTO_TEST_CASE(the_state_is_shared_through_the_file_by_other_processes) {
    TempDir dir;
    for (int i = 0; i < 5; ++i) {
        pid_t pid = fork();
        if (pid == 0) {
            try {
                LoginThrottle child(dir.db(), "wal");
                child.record("carol", "10.1.1." + std::to_string(i), false);
                _exit(0);
            } catch (...) {
                _exit(1);
            }
        }
        int status = 0;
        waitpid(pid, &status, 0);
        BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    LoginThrottle t(dir.db(), "delete");
    BOOST_TEST(t.retry_after("carol", "10.9.9.9").has_value());
}

BOOST_AUTO_TEST_CASE(many_processes_making_the_file_at_the_same_moment_all_get_through) {
    // Workers that start together all open a throttle file that does not exist yet: one of
    // them makes it and turns on WAL, the others must wait for that, not fail with "busy".
    for (int round = 0; round < 10; ++round) {
        TempDir dir;
        int go[2];
        BOOST_REQUIRE(pipe(go) == 0);
        std::vector<pid_t> children;
        for (int i = 0; i < 8; ++i) {
            pid_t pid = fork();
            if (pid == 0) {
                close(go[1]);
                char c;
                if (read(go[0], &c, 1) < 0) _exit(3);  // all start at once
                try {
                    LoginThrottle t(dir.db(), "wal");
                    t.retry_after("ivy", "10.3.3." + std::to_string(i));
                    t.record("ivy", "10.3.3." + std::to_string(i), false);
                    _exit(0);
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "child %d: %s\n", i, e.what());
                    _exit(1);
                }
            }
            children.push_back(pid);
        }
        close(go[0]);
        close(go[1]);  // EOF releases every child at once
        for (pid_t pid : children) {
            int status = 0;
            waitpid(pid, &status, 0);
            BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0), "round " << round);
        }
        LoginThrottle t(dir.db(), "wal");
        BOOST_TEST(t.retry_after("ivy", "10.9.9.9").has_value());
    }
}

BOOST_AUTO_TEST_CASE(a_connection_opened_before_fork_is_not_used_by_the_child) {
    TempDir dir;
    LoginThrottle t(dir.db(), "wal");
    t.record("dave", "10.0.0.1", false);  // opens the connection in the parent
    pid_t pid = fork();
    if (pid == 0) {
        try {
            for (int i = 0; i < 4; ++i) t.record("dave", "10.0.0.1", false);
            _exit(t.retry_after("dave", "10.0.0.1").has_value() ? 0 : 2);
        } catch (...) {
            _exit(1);
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    BOOST_TEST(t.retry_after("dave", "10.0.0.1").has_value());
}

BOOST_AUTO_TEST_CASE(the_file_is_private_to_its_owner) {
    TempDir dir;
    LoginThrottle t(dir.db(), "wal");
    t.record("erin", "10.0.0.1", false);
    struct stat st {};
    BOOST_REQUIRE(stat(dir.db().c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600);
}

BOOST_AUTO_TEST_CASE(a_corrupt_file_is_replaced_by_an_empty_one) {
    TempDir dir;
    {
        std::ofstream junk(dir.db(), std::ios::binary);
        for (int i = 0; i < 512; ++i) junk << "this is not a database file ";
    }
    LoginThrottle t(dir.db(), "wal");
    BOOST_TEST(!t.retry_after("frank", "10.0.0.1").has_value());
    for (int i = 0; i < 5; ++i) t.record("frank", "10.0.0.1", false);
    BOOST_TEST(t.retry_after("frank", "10.0.0.1").has_value());
}

BOOST_AUTO_TEST_CASE(old_failures_are_pruned_from_the_file) {
    TempDir dir;
    FakeClock clock;
    LoginThrottle t(dir.db(), "wal");
    t.set_clock(clock.fn());
    for (int i = 0; i < 50; ++i) t.record("u" + std::to_string(i), "10.0.0.1", false);
    clock.now += 301;
    t.record("late", "10.0.0.2", false);
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open(dir.db().c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM failures", -1, &q, nullptr);
    BOOST_REQUIRE(sqlite3_step(q) == SQLITE_ROW);
    BOOST_TEST(sqlite3_column_int(q, 0) == 2);
    sqlite3_finalize(q);
    sqlite3_close(db);
}

BOOST_AUTO_TEST_CASE(requests_without_an_address_count_only_against_the_user) {
    TempDir dir;
    LoginThrottle t(dir.db(), "wal", ThrottleLimits{5, 2, 300});
    for (int i = 0; i < 3; ++i) t.record("user" + std::to_string(i), "", false);
    BOOST_TEST(!t.retry_after("someone", "").has_value());
    for (int i = 0; i < 5; ++i) t.record("henry", "", false);
    BOOST_TEST(t.retry_after("henry", "").has_value());
}

BOOST_AUTO_TEST_CASE(address_keys_group_ipv6_by_64_and_unmap_ipv4) {
    BOOST_TEST(throttle_address_key("192.0.2.1") == "192.0.2.1");
    BOOST_TEST(throttle_address_key("::ffff:192.0.2.1") == "192.0.2.1");
    BOOST_TEST(throttle_address_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64");
    BOOST_TEST(throttle_address_key("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64");
    BOOST_TEST(throttle_address_key("") == "");
    BOOST_TEST(throttle_address_key("not-an-ip") == "not-an-ip");
}

BOOST_AUTO_TEST_CASE(the_guard_answers_429_with_retry_after_and_records_outcomes) {
    TempDir dir;
    auto t = std::make_shared<LoginThrottle>(dir.db(), "wal");
    LoginGuard guard = make_login_guard(t);
    Request r = request_from("10.2.2.2");
    for (int i = 0; i < 5; ++i) {
        guard.before(r, "gina");
        guard.after(r, "gina", false);
    }
    try {
        guard.before(r, "gina");
        BOOST_FAIL("the sixth try was let through");
    } catch (const HttpError& e) {
        BOOST_TEST(e.status == 429);
        BOOST_TEST(std::string(e.what()).rfind("too many requests: ", 0) == 0);
        BOOST_TEST((e.retry_after >= 299 && e.retry_after <= 300));
    }
}

BOOST_AUTO_TEST_CASE(bad_settings_are_refused) {
    BOOST_CHECK_THROW(LoginThrottle("x.db", "memory"), std::invalid_argument);
    BOOST_CHECK_THROW(LoginThrottle("x.db", "wal", ThrottleLimits{0, 1, 1}), std::invalid_argument);
    BOOST_TEST(throttle_path("/srv/data/") == "/srv/data/throttle.db");
}

BOOST_AUTO_TEST_SUITE_END()
