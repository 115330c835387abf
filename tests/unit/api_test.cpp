// The API server called directly, without a web server: order of checks, routing,
// tokens, login methods and the number syntax of query parameters.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "api/server.hpp"
#include "auth/jwt.hpp"
#include "http/adapter.hpp"
#include "store/datafolder.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"
#include "util/base64.hpp"

using namespace tagwatch;

namespace {

struct TempServer {
    std::string dir;
    Config config;
    std::unique_ptr<Server> server;
    explicit TempServer(std::function<void(Config&)> tweak = nullptr) {
        dir = tagwatch_test::temp_dir("api_test");
        config.datadir = dir;
        config.localhost_login = true;
        if (tweak) tweak(config);
        server = std::make_unique<Server>(config);
    }
    ~TempServer() { std::filesystem::remove_all(dir); }

    Response call(std::string method, std::string uri,
                  std::map<std::string, std::string> extra = {}, std::string body = "") {
        std::map<std::string, std::string> vars{{"REQUEST_METHOD", method},
                                                {"REQUEST_URI", uri},
                                                {"REMOTE_ADDR", "127.0.0.1"},
                                                {"HTTP_HOST", "localhost:8080"}};
        auto q = uri.find('?');
        if (q != std::string::npos) vars["QUERY_STRING"] = uri.substr(q + 1);
        if (!body.empty()) vars["CONTENT_LENGTH"] = std::to_string(body.size());
        for (auto& [k, v] : extra) vars[k] = v;
        auto data = std::make_shared<std::string>(body);
        auto pos = std::make_shared<size_t>(0);
        Request r(vars, [data, pos](char* buf, size_t n) {
            size_t k = std::min(n, data->size() - *pos);
            std::copy_n(data->data() + *pos, k, buf);
            *pos += k;
            return k;
        });
        return handle_safely([this](Request& req) { return server->handle(req); }, r);
    }

    std::string login() {
        Response r = call("POST", "/timetagger/api/v2/bootstrap_authentication", {},
                          base64_encode("{\"method\": \"localhost\"}"));
        BOOST_REQUIRE_EQUAL(r.status, 200);
        auto start = r.body.find(": \"") + 3;
        return r.body.substr(start, r.body.rfind('"') - start);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(api)

BOOST_AUTO_TEST_CASE(api_numbers_are_strict_decimals) {
    BOOST_TEST(*parse_api_number("12", false) == 12);
    BOOST_TEST(*parse_api_number("1.5", false) == 1.5);
    BOOST_TEST(*parse_api_number("1e3", false) == 1000);
    BOOST_TEST(*parse_api_number(".5", false) == 0.5);
    BOOST_TEST(*parse_api_number("-3", true) == -3);
    for (const char* bad :
         {"", "-3", "inf", "nan", "0x10", " 1", "1 ", "1e", "e3", ".", "1e999", "1.2.3"})
        BOOST_TEST(!parse_api_number(bad, false), "accepted " << bad);
}

BOOST_AUTO_TEST_CASE(order_of_checks_token_path_method) {
    TempServer s;
    BOOST_TEST(s.call("GET", "/timetagger/api/v2/nope").status == 401);
    BOOST_TEST(s.call("DELETE", "/timetagger/api/v2/records").status == 401);
    std::string token = s.login();
    auto notfound = s.call("GET", "/timetagger/api/v2/nope", {{"HTTP_AUTHTOKEN", token}});
    BOOST_TEST(notfound.status == 404);
    BOOST_TEST(notfound.body == "not found: /nope is not a valid API path");
    auto wrong = s.call("DELETE", "/timetagger/api/v2/records", {{"HTTP_AUTHTOKEN", token}});
    BOOST_TEST(wrong.status == 405);
    BOOST_TEST(wrong.body == "method not allowed: /records can only be used with GET and PUT");
    auto post = s.call("GET", "/timetagger/api/v2/bootstrap_authentication");
    BOOST_TEST(post.status == 405);
    BOOST_TEST(post.body ==
               "method not allowed: /bootstrap_authentication can only be used with POST");
}

BOOST_AUTO_TEST_CASE(status_root_and_redirect) {
    TempServer s;
    BOOST_TEST(s.call("GET", "/timetagger/status").body == "ok");
    BOOST_TEST(s.call("GET", "/timetagger/api/v2/").status == 200);
    auto root = s.call("GET", "/");
    BOOST_TEST(root.status == 307);
    BOOST_TEST(root.headers.at(0).second == "/timetagger/");
    BOOST_TEST(s.call("GET", "/elsewhere").status == 404);
    TempServer app([](Config& c) { c.app_redirect = true; });
    BOOST_TEST(app.call("GET", "/").headers.at(0).second == "/timetagger/app/");
}

BOOST_AUTO_TEST_CASE(webtoken_reset_revokes_earlier_tokens) {
    TempServer s;
    std::string first = s.login();
    auto renewed =
        s.call("GET", "/timetagger/api/v2/webtoken?reset=1", {{"HTTP_AUTHTOKEN", first}});
    BOOST_TEST(renewed.status == 200);
    auto old = s.call("GET", "/timetagger/api/v2/version", {{"HTTP_AUTHTOKEN", first}});
    BOOST_TEST(old.status == 401);
    BOOST_TEST(old.body.find("revoked") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(expired_webtoken_says_expired_and_revoked_wins) {
    TempServer s;
    std::string token = s.login();
    TokenClaims claims = jwt_verify(token, s.server->jwt_key());
    claims.expires = 1000;
    auto expired = s.call("GET", "/timetagger/api/v2/version",
                          {{"HTTP_AUTHTOKEN", jwt_sign(claims, s.server->jwt_key())}});
    BOOST_TEST(expired.status == 401);
    BOOST_TEST(expired.body == "unauthorized: The webtoken has expired (after 14 days)");
    claims.seed = "other";
    auto both = s.call("GET", "/timetagger/api/v2/version",
                       {{"HTTP_AUTHTOKEN", jwt_sign(claims, s.server->jwt_key())}});
    BOOST_TEST(both.body.find("revoked") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(apitoken_cannot_get_tokens) {
    TempServer s;
    std::string web = s.login();
    auto api = s.call("GET", "/timetagger/api/v2/apitoken", {{"HTTP_AUTHTOKEN", web}});
    BOOST_REQUIRE(api.status == 200);
    std::string apitoken = api.body.substr(11, api.body.size() - 13);
    BOOST_TEST(s.call("GET", "/timetagger/api/v2/version", {{"HTTP_AUTHTOKEN", apitoken}}).status ==
               200);
    auto forbidden = s.call("GET", "/timetagger/api/v2/webtoken", {{"HTTP_AUTHTOKEN", apitoken}});
    BOOST_TEST(forbidden.status == 403);
    BOOST_TEST(forbidden.body.find("forbidden:") == 0);
}

BOOST_AUTO_TEST_CASE(login_methods_refuse_with_reasons) {
    TempServer off([](Config& c) { c.localhost_login = false; });
    auto r = off.call("POST", "/timetagger/api/v2/bootstrap_authentication", {},
                      base64_encode("{\"method\": \"localhost\"}"));
    BOOST_TEST(r.status == 403);
    TempServer s;
    auto remote =
        s.call("POST", "/timetagger/api/v2/bootstrap_authentication", {{"REMOTE_ADDR", "10.0.0.1"}},
               base64_encode("{\"method\": \"localhost\"}"));
    BOOST_TEST(remote.status == 403);
    auto host =
        s.call("POST", "/timetagger/api/v2/bootstrap_authentication",
               {{"HTTP_HOST", "example.com"}}, base64_encode("{\"method\": \"localhost\"}"));
    BOOST_TEST(host.status == 403);
    auto unknown = s.call("POST", "/timetagger/api/v2/bootstrap_authentication", {},
                          base64_encode("{\"method\": \"magic\"}"));
    BOOST_TEST(unknown.status == 401);
    BOOST_TEST(unknown.body == "Invalid authentication method: magic");
    auto garbage = s.call("POST", "/timetagger/api/v2/bootstrap_authentication", {}, "%%%");
    BOOST_TEST(garbage.status == 400);
    auto notobject =
        s.call("POST", "/timetagger/api/v2/bootstrap_authentication", {}, base64_encode("[1]"));
    BOOST_TEST(notobject.status == 400);
    auto wrongcreds =
        s.call("POST", "/timetagger/api/v2/bootstrap_authentication", {},
               base64_encode(
                   "{\"method\": \"usernamepassword\", \"username\": \"x\", \"password\": \"y\"}"));
    BOOST_TEST(wrongcreds.status == 403);
    BOOST_TEST(wrongcreds.body == "Invalid credentials");
}

BOOST_AUTO_TEST_CASE(localhost_login_host_is_case_insensitive) {
    TempServer s;
    for (const char* host : {"LOCALHOST", "LocalHost:8080", "[::1]:80"}) {
        auto r = s.call("POST", "/timetagger/api/v2/bootstrap_authentication",
                        {{"HTTP_HOST", host}}, base64_encode("{\"method\": \"localhost\"}"));
        BOOST_TEST(r.status == 200, host << ": " << r.body);
    }
}

BOOST_AUTO_TEST_CASE(webserver_login_uses_remote_user_only) {
    TempServer s([](Config& c) { c.webserver_auth_enabled = true; });
    std::string body = base64_encode("{\"method\": \"webserver\"}");
    auto header_only = s.call("POST", "/timetagger/api/v2/bootstrap_authentication",
                              {{"HTTP_REMOTE_USER", "eve"}}, body);
    BOOST_TEST(header_only.status == 403);
    auto ok = s.call("POST", "/timetagger/api/v2/bootstrap_authentication",
                     {{"REMOTE_USER", "carol"}}, body);
    BOOST_TEST(ok.status == 200);
}

BOOST_AUTO_TEST_CASE(custom_login_method_and_endpoint) {
    TempServer s;
    s.server->add_login_method(
        "always", [](Request&, const rapidjson::Value&) { return std::string("dora"); });
    s.server->add_endpoint("GET", "whoami", true, [](Request&, const AuthInfo* a) {
        return Response::text(200, a->username);
    });
    auto login = s.call("POST", "/timetagger/api/v2/bootstrap_authentication", {},
                        base64_encode("{\"method\": \"always\"}"));
    BOOST_REQUIRE(login.status == 200);
    std::string token = login.body.substr(11, login.body.size() - 13);
    BOOST_TEST(s.call("GET", "/timetagger/api/v2/whoami", {{"HTTP_AUTHTOKEN", token}}).body ==
               "dora");
    BOOST_TEST(s.call("GET", "/timetagger/api/v2/whoami").status == 401);
}

BOOST_AUTO_TEST_CASE(deeply_nested_json_is_400_not_a_crash) {
    TempServer s;
    std::string token = s.login();
    std::string deep(200000, '[');
    auto r = s.call("PUT", "/timetagger/api/v2/records", {{"HTTP_AUTHTOKEN", token}}, deep);
    BOOST_TEST(r.status == 400);
    std::string nested = "[" + std::string(500, '[') + std::string(500, ']') + "]";
    auto r2 = s.call("PUT", "/timetagger/api/v2/settings", {{"HTTP_AUTHTOKEN", token}}, nested);
    BOOST_TEST(r2.status == 400);
}

BOOST_AUTO_TEST_CASE(number_beyond_double_range_fails_its_item_only) {
    TempServer s;
    std::string token = s.login();
    auto r = s.call(
        "PUT", "/timetagger/api/v2/records", {{"HTTP_AUTHTOKEN", token}},
        R"([{"key": "big", "t1": 1e400, "t2": 1, "mt": 1}, {"key": "ok", "t1": 1, "t2": 2, "mt": 1, "ds": "1e400"}])");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.find(R"("accepted": ["ok"], "failed": ["big"])") != std::string::npos,
               r.body);
}

BOOST_AUTO_TEST_CASE(a_stored_item_that_is_not_json_is_replaced_not_a_500) {
    TempServer s;
    std::string token = s.login();
    close_databases();
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open(user_store_path(s.dir, "defaultuser").c_str(), &db) == SQLITE_OK);
    BOOST_REQUIRE(sqlite3_exec(db,
                               "INSERT OR REPLACE INTO records VALUES ('not json', 'bad', 1, 5, 6)",
                               nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    auto filtered = s.call("GET", "/timetagger/api/v2/records?timerange=0-10&hidden=1",
                           {{"HTTP_AUTHTOKEN", token}});
    BOOST_TEST(filtered.status == 200);
    auto put = s.call("PUT", "/timetagger/api/v2/records", {{"HTTP_AUTHTOKEN", token}},
                      R"([{"key": "bad", "t1": 5, "t2": 6, "mt": 1, "ds": "mended"}])");
    BOOST_TEST(put.status == 200);
    BOOST_TEST(put.body.find(R"("accepted": ["bad"])") != std::string::npos, put.body);
    auto get =
        s.call("GET", "/timetagger/api/v2/records?timerange=0-10", {{"HTTP_AUTHTOKEN", token}});
    BOOST_TEST(get.body.find("mended") != std::string::npos, get.body);
}

BOOST_AUTO_TEST_CASE(a_removed_users_token_does_not_bring_the_file_back) {
    TempServer s;
    std::string token = s.login();
    close_databases();
    std::filesystem::remove(user_store_path(s.dir, "defaultuser"));
    auto r = s.call("GET", "/timetagger/api/v2/updates?since=0", {{"HTTP_AUTHTOKEN", token}});
    BOOST_TEST(r.status == 401);
    BOOST_TEST(r.body.find("revoked") != std::string::npos);
    BOOST_TEST(!std::filesystem::exists(user_store_path(s.dir, "defaultuser")));
}

BOOST_AUTO_TEST_CASE(user_files_are_private) {
    TempServer s;
    s.login();
    struct stat st {};
    BOOST_REQUIRE(stat(user_store_path(s.dir, "defaultuser").c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0077) == 0u);
}

BOOST_AUTO_TEST_CASE(too_many_items_is_413_before_parsing) {
    TempServer s;
    std::string token = s.login();
    std::string body = "[0";
    for (int i = 0; i < 100000; ++i) body += ",0";
    body += "]";
    auto r = s.call("PUT", "/timetagger/api/v2/records", {{"HTTP_AUTHTOKEN", token}}, body);
    BOOST_TEST(r.status == 413);
    BOOST_TEST(r.body.find("payload too large:") == 0);
    // Commas and brackets inside strings are not structure.
    std::string tricky = R"([{"key": "a,b[", "t1": 1, "t2": 2, "mt": 1, "ds": "x\",]]]"}])";
    auto ok = s.call("PUT", "/timetagger/api/v2/records", {{"HTTP_AUTHTOKEN", token}}, tricky);
    BOOST_TEST(ok.status == 200, ok.body);
    BOOST_TEST(ok.body.find(R"("accepted": ["a,b["])") != std::string::npos, ok.body);
}

BOOST_AUTO_TEST_CASE(half_a_surrogate_pair_fails_nothing_and_becomes_a_replacement_character) {
    TempServer s;
    std::string token = s.login();
    std::string body =
        R"([{"key": "hi", "t1": 1, "t2": 2, "mt": 1, "ds": "cut emoji \ud83d"},)"
        R"({"key": "lo", "t1": 1, "t2": 2, "mt": 1, "ds": "low \udc00 end"},)"
        R"({"key": "ok", "t1": 1, "t2": 2, "mt": 1, "ds": "pair \ud83d\ude00 and \\ud83d"}])";
    auto r = s.call("PUT", "/timetagger/api/v2/records", {{"HTTP_AUTHTOKEN", token}}, body);
    BOOST_TEST(r.status == 200, r.body);
    BOOST_TEST(r.body.find(R"("accepted": ["hi", "lo", "ok"])") != std::string::npos, r.body);
    auto get =
        s.call("GET", "/timetagger/api/v2/records?timerange=0-10", {{"HTTP_AUTHTOKEN", token}});
    BOOST_TEST(get.body.find(R"("cut emoji \ufffd")") != std::string::npos, get.body);
    BOOST_TEST(get.body.find(R"("low \ufffd end")") != std::string::npos, get.body);
    BOOST_TEST(get.body.find(R"("pair \ud83d\ude00 and \\ud83d")") != std::string::npos, get.body);
}

BOOST_AUTO_TEST_CASE(a_content_length_beyond_64_bits_is_413) {
    TempServer s;
    std::string token = s.login();
    auto r = s.call("PUT", "/timetagger/api/v2/records",
                    {{"HTTP_AUTHTOKEN", token}, {"CONTENT_LENGTH", "99999999999999999999"}});
    BOOST_TEST(r.status == 413);
}

BOOST_AUTO_TEST_CASE(timerange_with_exponents) {
    TempServer s;
    std::string token = s.login();
    BOOST_TEST(
        s.call("GET", "/timetagger/api/v2/records?timerange=1e-5-2e3", {{"HTTP_AUTHTOKEN", token}})
            .status == 200);
    for (const char* bad : {"1-", "-1-2", "a-b", "inf-1", "1-nan", "12", ""})
        BOOST_TEST(s.call("GET", std::string("/timetagger/api/v2/records?timerange=") + bad,
                          {{"HTTP_AUTHTOKEN", token}})
                           .status == 400,
                   bad);
    BOOST_TEST(s.call("GET", "/timetagger/api/v2/records", {{"HTTP_AUTHTOKEN", token}}).status ==
               400);
}

BOOST_AUTO_TEST_SUITE_END()

// The store keeps what every request reads (seeds, the poll's figures) while SQLite's
// data_version says nobody else committed: a write by another connection (another worker)
// must show at once.
BOOST_AUTO_TEST_SUITE(store_snapshot)

BOOST_AUTO_TEST_CASE(another_connections_writes_are_seen_at_once) {
    std::string dir = tagwatch_test::temp_dir("snapshot");
    std::string path = dir + "/u.db";
    UserFile a(path, "wal"), b(path, "wal");
    int n = 0;
    auto make = [&n] { return "seed" + std::to_string(++n); };
    std::string first = a.get_seed("webtoken_seed", make);
    BOOST_TEST(a.get_seed("webtoken_seed", make) == first);
    std::string second = b.reset_seed("webtoken_seed", make);
    BOOST_TEST(second != first);
    BOOST_TEST(a.get_seed("webtoken_seed", make) == second);

    // Controlled clocks: b writes at 500 and then 700, a at 1000; the client polls since 600.
    double b_now = 500;
    b.set_clock([&b_now] { return b_now; });
    a.set_clock([] { return 1000.0; });
    rapidjson::Document doc;
    doc.Parse(R"([{"key": "k1", "t1": 1, "t2": 2, "mt": 1}])");
    b.put_items(Kind::records, doc);
    BOOST_TEST(a.get_updates(600).records_json == "[]");  // k1 (st 500) is older: nothing new
    doc.Parse(R"([{"key": "k2", "t1": 1, "t2": 2, "mt": 1}])");
    a.put_items(Kind::records, doc);  // this connection's own write, st 1000
    BOOST_TEST(a.get_updates(600).records_json.find("k2") != std::string::npos);
    BOOST_TEST(a.get_updates(1001).records_json == "[]");
    b_now = 1002;
    doc.Parse(R"([{"key": "k3", "t1": 1, "t2": 2, "mt": 1}])");
    b.put_items(Kind::records, doc);  // another connection's write, st 1002
    BOOST_TEST(a.get_updates(1001).records_json.find("k3") != std::string::npos);
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
