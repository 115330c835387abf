// Unit tests of login throttling (src/store/throttle.hpp, the data folder's ThrottleFile):
// the sliding windows per user name and per address, counting and checking as one step
// across processes, the reset on success, address keys, a corrupt file, and the
// LoginGuard's 429 answer with Retry-After (src/api/login_guard.hpp).
#include "store/throttle.hpp"

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

#include "api/login_guard.hpp"
#include "store/datafolder.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace tagwatch;

namespace {

struct TempDir {
    fs::path path;
    TempDir() { path = tagwatch_test::temp_dir("throttle-unit"); }
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
    return Request({{"REMOTE_ADDR", address}, {"REQUEST_METHOD", "POST"}},
                   [](char*, size_t) { return size_t{0}; });
}

// An attempt that fails its password check.
void fail(LoginThrottle& t, const std::string& user, const std::string& address) {
    const LoginAttempt a = t.admit(user, address);
    BOOST_REQUIRE_MESSAGE(a.retry_after == 0, user << " from " << address << " was refused");
    t.settle(user, address, a.at, false);
}

// An attempt that passes its password check.
void succeed(LoginThrottle& t, const std::string& user, const std::string& address) {
    const LoginAttempt a = t.admit(user, address);
    BOOST_REQUIRE_MESSAGE(a.retry_after == 0, user << " from " << address << " was refused");
    t.settle(user, address, a.at, true);
}

// Seconds to wait when an attempt now is refused, 0 when it is admitted (and then counted
// as a failure, as a wrong password would leave it).
long refused(LoginThrottle& t, const std::string& user, const std::string& address) {
    return t.admit(user, address).retry_after;
}

// Starts `n` processes at the same moment, each making one attempt for user(i) from
// address(i); answers how many were admitted.
int admitted_in_parallel(const std::string& db, int n, const std::function<std::string(int)>& user,
                         const std::function<std::string(int)>& address) {
    int go[2];
    BOOST_REQUIRE(pipe(go) == 0);
    std::vector<pid_t> children;
    for (int i = 0; i < n; ++i) {
        pid_t pid = fork();
        if (pid == 0) {
            close(go[1]);
            char c;
            if (read(go[0], &c, 1) < 0) _exit(3);  // all start at once
            try {
                ThrottleFile t(db, "wal");
                _exit(t.admit(user(i), address(i)).retry_after == 0 ? 0 : 4);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "child %d: %s\n", i, e.what());
                _exit(1);
            }
        }
        children.push_back(pid);
    }
    close(go[0]);
    close(go[1]);  // EOF releases every child at once
    int admitted = 0;
    for (pid_t pid : children) {
        int status = 0;
        waitpid(pid, &status, 0);
        BOOST_TEST((WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 4)));
        admitted += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    return admitted;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(throttle)

BOOST_AUTO_TEST_CASE(five_failures_for_a_user_block_the_sixth_try_until_the_first_expires) {
    TempDir dir;
    FakeClock clock;
    ThrottleFile t(dir.db(), "wal");
    t.set_clock(clock.fn());
    for (int i = 0; i < 5; ++i) {
        fail(t, "alice", "10.0.0." + std::to_string(i));
        clock.now += 10;
    }
    // The first failure was 50 s ago: it expires in 250 s.
    BOOST_TEST(refused(t, "alice", "10.0.0.99") == 250);
    // Other users from another address are not affected.
    BOOST_TEST(refused(t, "bob", "10.0.0.98") == 0);
    clock.now += 249.5;
    BOOST_TEST(refused(t, "alice", "10.0.0.99") == 1);
    clock.now += 0.5;
    BOOST_TEST(refused(t, "alice", "10.0.0.99") == 0);
}

BOOST_AUTO_TEST_CASE(a_success_clears_the_users_failures) {
    TempDir dir;
    FakeClock clock;
    ThrottleFile t(dir.db(), "wal");
    t.set_clock(clock.fn());
    for (int i = 0; i < 4; ++i) fail(t, "alice", "10.0.0.1");
    succeed(t, "alice", "10.0.0.1");
    for (int i = 0; i < 5; ++i) fail(t, "alice", "10.0.0.1");
    BOOST_TEST(refused(t, "alice", "10.0.0.1") > 0);
    t.clear_user("alice");
    BOOST_TEST(refused(t, "alice", "10.0.0.1") == 0);
}

BOOST_AUTO_TEST_CASE(an_address_guessing_many_users_is_blocked_and_a_success_does_not_clear_it) {
    TempDir dir;
    FakeClock clock;
    ThrottleFile t(dir.db(), "wal", ThrottleLimits{5, 20, 300});
    t.set_clock(clock.fn());
    for (int i = 0; i < 19; ++i) fail(t, "user" + std::to_string(i), "192.0.2.7");
    succeed(t, "mallory", "192.0.2.7");  // the attacker's own valid account
    fail(t, "user19", "192.0.2.7");      // the success neither cleared nor counted
    BOOST_TEST(refused(t, "someone-new", "192.0.2.7") == 300);
    BOOST_TEST(refused(t, "mallory", "192.0.2.7") == 300);
    BOOST_TEST(refused(t, "someone-new", "192.0.2.8") == 0);
}

BOOST_AUTO_TEST_CASE(the_state_is_shared_through_the_file_by_other_processes) {
    TempDir dir;
    for (int i = 0; i < 5; ++i) {
        pid_t pid = fork();
        if (pid == 0) {
            try {
                ThrottleFile child(dir.db(), "wal");
                fail(child, "carol", "10.1.1." + std::to_string(i));
                _exit(0);
            } catch (...) {
                _exit(1);
            }
        }
        int status = 0;
        waitpid(pid, &status, 0);
        BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    ThrottleFile t(dir.db(), "delete");
    BOOST_TEST(refused(t, "carol", "10.9.9.9") > 0);
}

BOOST_AUTO_TEST_CASE(parallel_attempts_are_counted_and_checked_in_one_step) {
    // Many processes that make the file at the same moment (one of them makes it and
    // turns on WAL; the others wait for that) and try at once: exactly the limit gets in.
    for (int round = 0; round < 3; ++round) {
        TempDir dir;
        BOOST_TEST(admitted_in_parallel(
                       dir.db(), 12, [](int) { return std::string("ivy"); },
                       [](int i) { return "10.3.3." + std::to_string(i); }) == 5,
                   "round " << round);
        TempDir dir2;
        BOOST_TEST(admitted_in_parallel(
                       dir2.db(), 30, [](int i) { return "guess" + std::to_string(i); },
                       [](int) { return std::string("192.0.2.9"); }) == 20,
                   "round " << round);
    }
}

BOOST_AUTO_TEST_CASE(a_connection_opened_before_fork_is_not_used_by_the_child) {
    TempDir dir;
    ThrottleFile t(dir.db(), "wal");
    fail(t, "dave", "10.0.0.1");  // opens the connection in the parent
    pid_t pid = fork();
    if (pid == 0) {
        try {
            for (int i = 0; i < 4; ++i) fail(t, "dave", "10.0.0.1");
            _exit(refused(t, "dave", "10.0.0.1") > 0 ? 0 : 2);
        } catch (...) {
            _exit(1);
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    BOOST_TEST(refused(t, "dave", "10.0.0.1") > 0);
}

BOOST_AUTO_TEST_CASE(the_file_is_private_to_its_owner) {
    TempDir dir;
    ThrottleFile t(dir.db(), "wal");
    fail(t, "erin", "10.0.0.1");
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
    ThrottleFile t(dir.db(), "wal");
    for (int i = 0; i < 5; ++i) fail(t, "frank", "10.0.0.1");
    BOOST_TEST(refused(t, "frank", "10.0.0.1") > 0);
}

BOOST_AUTO_TEST_CASE(old_failures_are_pruned_from_the_file) {
    TempDir dir;
    FakeClock clock;
    ThrottleFile t(dir.db(), "wal", ThrottleLimits{5, 1000, 300});
    t.set_clock(clock.fn());
    for (int i = 0; i < 50; ++i) fail(t, "u" + std::to_string(i), "10.0.0.1");
    clock.now += 301;
    fail(t, "late", "10.0.0.2");
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open(dir.db().c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM failures", -1, &q, nullptr);
    BOOST_REQUIRE(sqlite3_step(q) == SQLITE_ROW);
    BOOST_TEST(sqlite3_column_int(q, 0) == 2);  // late's user name and address
    sqlite3_finalize(q);
    sqlite3_close(db);
}

BOOST_AUTO_TEST_CASE(requests_without_an_address_count_only_against_the_user) {
    TempDir dir;
    ThrottleFile t(dir.db(), "wal", ThrottleLimits{5, 2, 300});
    for (int i = 0; i < 3; ++i) fail(t, "user" + std::to_string(i), "");
    BOOST_TEST(refused(t, "someone", "") == 0);
    for (int i = 0; i < 5; ++i) fail(t, "henry", "");
    BOOST_TEST(refused(t, "henry", "") > 0);
}

BOOST_AUTO_TEST_CASE(address_keys_group_ipv6_by_64_and_unmap_ipv4) {
    BOOST_TEST(throttle_address_key("192.0.2.1") == "192.0.2.1");
    BOOST_TEST(throttle_address_key("::ffff:192.0.2.1") == "192.0.2.1");
    BOOST_TEST(throttle_address_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64");
    BOOST_TEST(throttle_address_key("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64");
    BOOST_TEST(throttle_address_key("") == "");
    BOOST_TEST(throttle_address_key("not-an-ip") == "not-an-ip");
}

BOOST_AUTO_TEST_CASE(the_guard_answers_429_with_retry_after_and_takes_back_a_success) {
    TempDir dir;
    auto t = std::make_shared<ThrottleFile>(dir.db(), "wal");
    LoginGuard guard = make_login_guard(t);
    Request r = request_from("10.2.2.2");
    for (int i = 0; i < 4; ++i) {
        guard.before(r, "gina");
        guard.after(r, "gina", false);
    }
    // A success in between clears the count...
    guard.before(r, "gina");
    guard.after(r, "gina", true);
    for (int i = 0; i < 5; ++i) {
        guard.before(r, "gina");
        guard.after(r, "gina", false);
    }
    // ...and five failures after it block the next try.
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
    BOOST_CHECK_THROW(ThrottleFile("x.db", "memory"), std::invalid_argument);
    BOOST_CHECK_THROW(ThrottleFile("x.db", "wal", ThrottleLimits{0, 1, 1}), std::invalid_argument);
    BOOST_TEST(throttle_path("/srv/data/") == "/srv/data/throttle.db");
}

BOOST_AUTO_TEST_SUITE_END()
