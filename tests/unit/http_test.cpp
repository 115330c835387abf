// Request parsing of the HTTP layer: paths, query parameters, headers, body limits.
#include "http/http.hpp"

#include <boost/test/unit_test.hpp>

#include "http/adapter.hpp"

using namespace tagwatch;

namespace {
Request make(std::map<std::string, std::string> vars, std::string body = "") {
    auto data = std::make_shared<std::string>(std::move(body));
    auto pos = std::make_shared<size_t>(0);
    return Request(std::move(vars), [data, pos](char* buf, size_t n) {
        size_t k = std::min(n, data->size() - *pos);
        std::copy_n(data->data() + *pos, k, buf);
        *pos += k;
        return k;
    });
}
}  // namespace

BOOST_AUTO_TEST_SUITE(http)

BOOST_AUTO_TEST_CASE(path_comes_from_request_uri_without_query_and_decoded) {
    auto r = make({{"REQUEST_METHOD", "GET"},
                   {"REQUEST_URI", "/timetagger/api/v2/rec%6Frds?x=1"},
                   {"QUERY_STRING", "x=1"}});
    BOOST_TEST(r.method == "GET");
    BOOST_TEST(r.path == "/timetagger/api/v2/records");
    BOOST_TEST(r.query == "x=1");
}

BOOST_AUTO_TEST_CASE(path_falls_back_to_script_name_and_path_info) {
    auto r = make({{"SCRIPT_NAME", "/cgi-bin/tagwatch.fcgi"}, {"PATH_INFO", "/x"}});
    BOOST_TEST(r.path == "/cgi-bin/tagwatch.fcgi/x");
}

BOOST_AUTO_TEST_CASE(query_params_are_decoded_and_the_last_counts) {
    auto r = make({{"QUERY_STRING", "tag=a%2Cb&since=1&tag=%23c+d&empty=&bare"}});
    BOOST_TEST(*r.query_param("tag") == "#c d");
    BOOST_TEST(*r.query_param("since") == "1");
    BOOST_TEST(*r.query_param("empty") == "");
    BOOST_TEST(*r.query_param("bare") == "");
    BOOST_TEST(!r.query_param("missing"));
}

BOOST_AUTO_TEST_CASE(headers_by_any_spelling) {
    auto r = make({{"HTTP_AUTHTOKEN", "t"}, {"HTTP_X_REMOTE_USER", "bob"}});
    BOOST_TEST(*r.header("authtoken") == "t");
    BOOST_TEST(*r.header("X-Remote-User") == "bob");
    BOOST_TEST(!r.header("Host"));
}

BOOST_AUTO_TEST_CASE(percent_decoding_keeps_bad_escapes) {
    BOOST_TEST(percent_decode("a%20b%zz%4", false) == "a b%zz%4");
    BOOST_TEST(percent_decode("a+b", true) == "a b");
    BOOST_TEST(percent_decode("a+b", false) == "a+b");
    BOOST_TEST(percent_decode("%", false) == "%");
}

BOOST_AUTO_TEST_CASE(body_over_the_limit_is_413_before_reading) {
    bool read = false;
    Request r({{"CONTENT_LENGTH", "11"}}, [&read](char*, size_t) {
        read = true;
        return size_t{0};
    });
    try {
        r.body(10);
        BOOST_FAIL("expected 413");
    } catch (const HttpError& e) {
        BOOST_TEST(e.status == 413);
        BOOST_TEST(std::string(e.what()).find("payload too large:") == 0);
    }
    BOOST_TEST(!read);
}

BOOST_AUTO_TEST_CASE(body_reads_content_length_bytes_only) {
    auto r = make({{"CONTENT_LENGTH", "3"}}, "abcdef");
    BOOST_TEST(r.body(10) == "abc");
    BOOST_TEST(r.body(10) == "abc");  // read once
}

BOOST_AUTO_TEST_CASE(bad_content_length_is_400) {
    auto r = make({{"CONTENT_LENGTH", "12x"}});
    BOOST_CHECK_EXCEPTION(r.body(10), HttpError,
                          [](const HttpError& e) { return e.status == 400; });
    auto neg = make({{"CONTENT_LENGTH", "-1"}});
    BOOST_CHECK_EXCEPTION(neg.body(10), HttpError,
                          [](const HttpError& e) { return e.status == 400; });
}

BOOST_AUTO_TEST_CASE(json_quote_escapes) {
    BOOST_TEST(json_quote("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
    BOOST_TEST(json_quote("é") == "\"\\u00e9\"");
    BOOST_TEST(json_quote("\xff") == "\"\\u00ff\"");  // not UTF-8: still valid JSON
}

BOOST_AUTO_TEST_CASE(handle_safely_turns_exceptions_into_answers) {
    Request r;
    auto http =
        handle_safely([](Request&) -> Response { throw HttpError(418, "teapot: short"); }, r);
    BOOST_TEST(http.status == 418);
    BOOST_TEST(http.body == "teapot: short");
    auto other = handle_safely([](Request&) -> Response { throw std::runtime_error("boom"); }, r);
    BOOST_TEST(other.status == 500);
    BOOST_TEST(other.body.find("internal server error:") == 0);
    BOOST_TEST(other.body.find("boom") == std::string::npos);  // details go to the log only
    auto weird = handle_safely([](Request&) -> Response { throw 42; }, r);
    BOOST_TEST(weird.status == 500);
}

BOOST_AUTO_TEST_CASE(format_response_writes_status_headers_and_body) {
    Request get;
    get.method = "GET";
    Response resp = Response::json("{}");
    resp.headers.emplace_back("Retry-After", "5");
    std::string out = format_response(get, resp);
    BOOST_TEST(out ==
               "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
               "2\r\nRetry-After: 5\r\n\r\n{}");
    Request head;
    head.method = "HEAD";
    BOOST_TEST(format_response(head, resp).find("{}") == std::string::npos);
}

// serve_request is all a worker does per request: whatever throws in it, the request gets
// exactly one answer and the call returns (it is noexcept: an escape would end the worker).
struct Served {
    std::vector<std::string> written;
    int logged = 0;
};

Served serve_with(const Handler& handler, const RequestLogger& log) {
    std::vector<std::string> env_text = {
        "REQUEST_METHOD=PUT", "REQUEST_URI=/timetagger/api/v2/records", "CONTENT_LENGTH=2"};
    std::vector<char*> envp;
    for (auto& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);
    Served served;
    auto counting = [&](const Request& r, const Response& resp, double ms) {
        ++served.logged;
        if (log) log(r, resp, ms);
    };
    serve_request(
        envp.data(),
        [sent = false](char* buf, size_t n) mutable {
            if (sent || n < 2) return size_t{0};
            sent = true;
            buf[0] = '[', buf[1] = ']';
            return size_t{2};
        },
        handler, counting, [&](std::string_view out) { served.written.emplace_back(out); });
    return served;
}

BOOST_AUTO_TEST_CASE(a_logger_that_throws_does_not_escape_and_the_answer_is_out_first) {
    const Handler ok = [](Request& r) { return Response::text(200, "body " + r.body(10)); };
    for (const RequestLogger& log : std::vector<RequestLogger>{
             [](const Request&, const Response&, double) {
                 throw std::runtime_error("the audit log is full");
             },
             [](const Request&, const Response&, double) { throw 7; },
             [](const Request&, const Response&, double) { throw std::bad_alloc(); }}) {
        Served s = serve_with(ok, log);
        BOOST_REQUIRE(s.written.size() == 1u);
        BOOST_TEST(s.written[0] ==
                   "Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                   "Content-Length: 7\r\n\r\nbody []");
        BOOST_TEST(s.logged == 1);
    }
}

BOOST_AUTO_TEST_CASE(a_handler_that_runs_out_of_memory_gets_a_500_answer) {
    Served s = serve_with([](Request&) -> Response { throw std::bad_alloc(); }, nullptr);
    BOOST_REQUIRE(s.written.size() == 1u);
    BOOST_TEST(s.written[0].find("Status: 500 Internal Server Error\r\n") == 0u);
    BOOST_TEST(s.written[0].find("internal server error:") != std::string::npos);
    Served busy = serve_with(
        [](Request&) -> Response { throw HttpError(503, "service unavailable: busy", 2); },
        nullptr);
    BOOST_REQUIRE(busy.written.size() == 1u);
    BOOST_TEST(busy.written[0] ==
               "Status: 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
               "Content-Length: 25\r\nRetry-After: 2\r\n\r\nservice unavailable: busy");
    BOOST_TEST(busy.logged == 1);
}

BOOST_AUTO_TEST_SUITE_END()
