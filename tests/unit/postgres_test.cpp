// Unit tests of src/store/postgres.* and the PostgreSQL engine without a server: how a
// connection string is checked and shown in messages, and what a worker answers when the
// server cannot be reached (a 503 with Retry-After, never a hang or a 500). The engine
// against a real PostgreSQL is tested by the API suite (TAGWATCH_TEST_DATABASE=pg) and
// tests/pg/.
#include "store/postgres.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>

#include "store/pg_store.hpp"
#include "util/error.hpp"

using namespace tagwatch;

namespace {

// A loopback port where nothing listens: bound and closed again, so a connection is refused.
int closed_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t n = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
    close(fd);
    return ntohs(a.sin_port);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(postgres)

BOOST_AUTO_TEST_CASE(connection_strings_are_checked_as_libpq_reads_them) {
    BOOST_CHECK_NO_THROW(pg::check_conninfo(
        "host=db1,db2 port=5432 dbname=tagwatch target_session_attrs=read-write"));
    BOOST_CHECK_NO_THROW(
        pg::check_conninfo("postgresql://tw:secret@db1:5432,db2:5432/tagwatch?sslmode=require"));
    BOOST_CHECK_NO_THROW(pg::check_conninfo(""));
    try {
        pg::check_conninfo("host=db1 colour=blue");
        BOOST_FAIL("an unknown keyword was accepted");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("colour") != std::string::npos, e.what());
    }
    BOOST_CHECK_THROW(pg::check_conninfo("host='db1"),
                      std::invalid_argument);  // unterminated quote
    BOOST_CHECK_THROW(pg::check_conninfo("postgresql://db1/x?colour=blue"), std::invalid_argument);
    BOOST_CHECK_THROW(PgDatabase("dbname"), std::invalid_argument);  // a word without '='
}

BOOST_AUTO_TEST_CASE(messages_never_show_a_password) {
    BOOST_TEST(pg::redact("host=db password=s3cret user=tw") == "host=db password=*** user=tw");
    BOOST_TEST(pg::redact("host=db password = 's3 cr\\'et' user=tw") ==
               "host=db password = *** user=tw");
    BOOST_TEST(pg::redact("postgresql://tw:s3cret@db1:5432/tagwatch") ==
               "postgresql://tw:***@db1:5432/tagwatch");
    BOOST_TEST(pg::redact("postgresql://db1/tagwatch?user=tw&password=s3cret&sslmode=require") ==
               "postgresql://db1/tagwatch?user=tw&password=***&sslmode=require");
    BOOST_TEST(pg::redact("postgresql://tw@db1/x") == "postgresql://tw@db1/x");
    BOOST_TEST(pg::redact("host=db user=tw") == "host=db user=tw");
}

BOOST_AUTO_TEST_CASE(an_unreachable_server_stops_startup_naming_the_setting_without_its_password) {
    const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(closed_port()) +
                                 " user=tw password=s3cret dbname=x";
    PgDatabase db(conninfo);
    try {
        db.startup_check();
        BOOST_FAIL("start-up went on without a server");
    } catch (const std::runtime_error& e) {
        const std::string m = e.what();
        BOOST_TEST(m.find("database") != std::string::npos, m);
        BOOST_TEST(m.find("127.0.0.1") != std::string::npos, m);
        BOOST_TEST(m.find("s3cret") == std::string::npos, m);
        BOOST_TEST(m.find("refused") != std::string::npos, m);  // libpq's own words
    }
}

BOOST_AUTO_TEST_CASE(a_lost_server_answers_503_with_retry_after_at_once) {
    PgDatabase db("host=127.0.0.1 port=" + std::to_string(closed_port()) + " dbname=x");
    auto store = db.user_store("alice");
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 3; ++i) {  // and again on the next request: it tries to reconnect each time
        try {
            store->get_updates(0);
            BOOST_FAIL("answered without a server");
        } catch (const HttpError& e) {
            BOOST_TEST(e.status == 503);
            BOOST_TEST(e.retry_after > 0);
            BOOST_TEST(std::string(e.what()).rfind("service unavailable:", 0) == 0, e.what());
        }
    }
    BOOST_CHECK_THROW(db.login_throttle({})->admit("alice", "10.0.0.1"), HttpError);
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(5)));
}

BOOST_AUTO_TEST_SUITE_END()
