// The parts under share links and teams: userinfo items of ours in a user's file (and that
// the file keeps TimeTagger's schema), the teams' file, calendar periods in a time zone,
// and records picked by their tags.
#include <boost/test/unit_test.hpp>

#include "auth/jwt.hpp"
#include "model/select.hpp"
#include "store/datafolder.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"
#include "util/zoned.hpp"

using namespace tagwatch;
using tagwatch_test::temp_dir;

BOOST_AUTO_TEST_SUITE(sharing)

BOOST_AUTO_TEST_CASE(info_items_live_in_userinfo_beside_the_seeds) {
    const std::string dir = temp_dir("info");
    DataFolder folder(dir, "wal");
    auto store = folder.user_store("ann");
    store->get_seed("webtoken_seed", [] { return std::string("seed1"); });
    store->put_info_item("tagwatch_share_b", R"({"x": 2})");
    store->put_info_item("tagwatch_share_a", R"({"x": 1})");
    store->put_info_item("tagwatch_other", R"({"y": 1})");
    auto items = store->get_info_items("tagwatch_share_");
    BOOST_REQUIRE_EQUAL(items.size(), 2u);
    BOOST_TEST(items[0].key == "tagwatch_share_a");
    BOOST_TEST(items[0].value_json == R"({"x":1})");  // SQLite's json_extract writes it compact
    BOOST_TEST(*store->get_info_item("tagwatch_share_b") == R"({"x":2})");
    BOOST_TEST(store->delete_info_item("tagwatch_share_a"));
    BOOST_TEST(!store->delete_info_item("tagwatch_share_a"));
    BOOST_TEST(!store->get_info_item("tagwatch_share_a"));
    BOOST_TEST(store->get_info_items("tagwatch_share_").size() == 1u);
    // the seed is untouched, and keys of TimeTagger's are refused
    BOOST_TEST(store->get_seed("webtoken_seed", [] { return std::string("other"); }) == "seed1");
    BOOST_CHECK_THROW(store->put_info_item("webtoken_seed", "{}"), std::invalid_argument);
    BOOST_CHECK_THROW(store->delete_info_item("reset_time"), std::invalid_argument);
    BOOST_CHECK_THROW(store->get_info_items("web"), std::invalid_argument);
    // TimeTagger's shape of a userinfo item, and nothing else in the file changed
    sqlite::Connection c(store->path(), sqlite::Open::read_only);
    auto obs = c.column("SELECT _ob FROM userinfo WHERE key = 'tagwatch_share_b'");
    BOOST_REQUIRE_EQUAL(obs.size(), 1u);
    BOOST_TEST(obs[0].find("{\"key\": \"tagwatch_share_b\", \"st\": ") == 0);
    BOOST_TEST(obs[0].find("\"value\": {\"x\": 2}}") != std::string::npos);
    auto tables = c.column("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    BOOST_TEST(tables == (std::vector<std::string>{"records", "settings", "userinfo"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(teams_file_adds_changes_and_removes) {
    const std::string dir = temp_dir("teams");
    DataFolder folder(dir, "wal");
    auto teams = folder.teams();
    BOOST_TEST(teams->list().empty());
    BOOST_TEST(teams->add(Team{"web", {"mia"}, {"cleo", "ben", "ben"}, {"#web"}}));
    BOOST_TEST(!teams->add(Team{"web", {"x"}, {"y"}, {}}));
    BOOST_TEST(teams->add(Team{"ops", {"cleo"}, {"ben"}, {}}));
    auto web = teams->get("web");
    BOOST_REQUIRE(web);
    BOOST_TEST(web->members == (std::vector<std::string>{"ben", "cleo"}),
               boost::test_tools::per_element());
    BOOST_TEST(web->managers == (std::vector<std::string>{"mia"}),
               boost::test_tools::per_element());
    BOOST_TEST(web->tags == (std::vector<std::string>{"#web"}), boost::test_tools::per_element());
    auto of_cleo = teams->teams_of("cleo");
    BOOST_REQUIRE_EQUAL(of_cleo.size(), 2u);
    BOOST_TEST(of_cleo[0].name == "ops");
    BOOST_TEST(teams->change("web", [](Team& t) { t.members = {"ben"}; }));
    BOOST_TEST(!teams->change("nope", [](Team&) {}));
    BOOST_TEST(teams->teams_of("cleo").size() == 1u);
    // another handle on the same file (another process) sees the change at once
    DataFolder other(dir, "wal");
    BOOST_TEST(other.teams()->get("web")->members.size() == 1u);
    BOOST_TEST(teams->remove("web"));
    BOOST_TEST(!teams->remove("web"));
    BOOST_TEST(!other.teams()->get("web"));
    BOOST_TEST(teams->teams_of("mia").empty());
    BOOST_TEST(teams->list().size() == 1u);
}

BOOST_AUTO_TEST_CASE(zoned_periods_follow_the_local_calendar) {
    // 2024-03-31 12:00 UTC: a Sunday; Amsterdam moved to summer time that night.
    const int64_t t = 1711886400;
    auto [a, b] = zoned_period("month", 0, t, "Europe/Amsterdam", 1);
    BOOST_TEST(a == 1709247600);  // 2024-03-01 00:00 +01:00
    BOOST_TEST(b == 1711922400);  // 2024-04-01 00:00 +02:00
    std::tie(a, b) = zoned_period("month", -1, t, "UTC", 1);
    BOOST_TEST(a == 1706745600);  // 2024-02-01 UTC
    BOOST_TEST(b == 1709251200);
    std::tie(a, b) = zoned_period("week", 0, t, "UTC", 1);  // Monday weeks
    BOOST_TEST(a == 1711324800);                            // Mon 2024-03-25
    BOOST_TEST(b - a == 7 * 86400);
    std::tie(a, b) = zoned_period("week", 0, t, "UTC", 0);  // Sunday weeks: that very day
    BOOST_TEST(a == 1711843200);
    std::tie(a, b) = zoned_period("year", -1, t, "Asia/Tokyo", 1);
    BOOST_TEST(a == 1672498800);  // 2023-01-01 00:00 +09:00
    BOOST_TEST(b == 1704034800);
    BOOST_CHECK_THROW(zoned_period("day", 0, t, "UTC", 1), std::invalid_argument);
    BOOST_CHECK_THROW(zoned_period("week", 0, t, "Nowhere/City", 1), std::invalid_argument);
    BOOST_CHECK_THROW(zoned_period("week", 0, t, "UTC", 7), std::invalid_argument);
    BOOST_TEST(known_time_zone("America/New_York"));
    BOOST_TEST(!known_time_zone("../../etc/passwd"));
    BOOST_TEST(!known_time_zone("/etc/localtime"));
    BOOST_TEST(!known_time_zone(""));
    // the process's own TZ is left as it was
    BOOST_TEST(getenv("TZ") == nullptr);
}

BOOST_AUTO_TEST_CASE(select_records_by_the_clients_tags) {
    const std::string records =
        R"([{"key": "a", "t1": 1, "t2": 2, "mt": 1, "st": 1.5, "ds": "x #Acme, y"},)"
        R"( {"key": "b", "t1": 1, "t2": 2, "mt": 1, "st": 1.0, "ds": "#acme #travel"},)"
        R"( {"key": "c", "t1": 1, "t2": 2, "mt": 1, "st": 1.0}])";
    auto all = select_records(records, {"#acme"}, true);
    BOOST_TEST(all.count == 2u);  // "#Acme," is the tag #acme for the client
    auto both = select_records(records, {"#acme", "#travel"}, true);
    BOOST_TEST(both.count == 1u);
    BOOST_TEST(both.json ==
               R"([{"key": "b", "t1": 1, "t2": 2, "mt": 1, "st": 1.0, "ds": "#acme #travel"}])");
    auto any = select_records(records, {"#travel", "#untagged"}, false, "ann");
    BOOST_TEST(any.count == 2u);
    BOOST_TEST(any.json.find(R"("ds": "#acme #travel", "user": "ann"})") != std::string::npos);
    BOOST_TEST(
        any.json.find(R"("key": "c", "t1": 1, "t2": 2, "mt": 1, "st": 1.0, "user": "ann"})") !=
        std::string::npos);
    BOOST_TEST(select_records(records, {}, true).count == 3u);
    BOOST_TEST(select_records("[]", {"#x"}, true).json == "[]");
    BOOST_CHECK_THROW(select_records("{}", {}, true), std::runtime_error);
    BOOST_CHECK_THROW(select_records("[1]", {}, true), std::runtime_error);
    BOOST_CHECK_THROW(select_records("[[{}]]", {}, true), std::runtime_error);
    BOOST_CHECK_THROW(select_records("[{}", {}, true), std::runtime_error);
    // copied as they are, nested values and odd spacing included; a "ds" deeper down is no ds
    BOOST_TEST(
        select_records(R"([{ } ,{"x": {"ds": "#a"}, "n": 123456789012345678901234567890}])", {},
                       true, "ann")
            .json ==
        R"([{ "user": "ann"}, {"x": {"ds": "#a"}, "n": 123456789012345678901234567890, "user": "ann"}])");
    BOOST_TEST(select_records(R"([{"x": {"ds": "#a"}}])", {"#a"}, true).count == 0u);
    BOOST_TEST(normalize_tag("Acme") == "#acme");
    BOOST_TEST(normalize_tag("#a/b-c_d") == "#a/b-c_d");
    BOOST_TEST(normalize_tag("two words") == "");
    BOOST_TEST(normalize_tag("#") == "");
    BOOST_TEST(normalize_tag("a.b") == "");
}

BOOST_AUTO_TEST_CASE(a_share_token_carries_its_share_claim) {
    const std::string key = "k";
    TokenClaims claims{"ann", 32503748400, "secret", "shareid"};
    const std::string token = jwt_sign(claims, key);
    const TokenClaims back = jwt_verify(token, key);
    BOOST_TEST(back.share == "shareid");
    BOOST_TEST(back.seed == "secret");
    // every other token has none, and signs exactly as before (PyJWT's bytes)
    const std::string plain = jwt_sign(TokenClaims{"ann", 5, "s"}, key);
    BOOST_TEST(jwt_verify(plain, key).share.empty());
    BOOST_TEST(plain.find('.') == token.find('.'));
    BOOST_TEST(plain.size() < token.size());
}

BOOST_AUTO_TEST_SUITE_END()
