// Unit tests of src/model: Python-json-identical writing (expected texts are
// what CPython's json.dumps / repr print), item validation and coercion per
// docs/api.md, the stored _ob text, the tag set (against tests/fixtures/tags.json, which the
// web app's tests read too) and the records query's tag and hidden filters.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "model/item.hpp"
#include "model/pyjson.hpp"
#include "model/tags.hpp"
#include "temp_dir.hpp"

using namespace tagwatch;

namespace {

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document doc;
    std::string error;
    BOOST_REQUIRE_MESSAGE(parse_json(text, doc, &error),
                          "invalid test JSON: " << text << ": " << error);
    return doc;
}

Validation validate(Kind kind, const std::string& text) {
    static rapidjson::Document keep;  // the Validation holds copies, but keep the doc alive anyway
    keep = parse(text);
    return validate_item(kind, keep);
}

std::string repeat(const std::string& s, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) out += s;
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pyjson)

BOOST_AUTO_TEST_CASE(float_repr_matches_python) {
    const std::pair<double, const char*> cases[] = {
        {1795819517.9090009, "1795819517.9090009"},
        {1795819518.0032141, "1795819518.0032141"},
        {0.1, "0.1"},
        {1e16, "1e+16"},
        {123.0, "123.0"},
        {1.5e-7, "1.5e-07"},
        {1e-5, "1e-05"},
        {0.0001, "0.0001"},
        {0.00011, "0.00011"},
        {1e15, "1000000000000000.0"},
        {9999999999999998.0, "9999999999999998.0"},
        {1234567890123456.7, "1234567890123456.8"},
        {12345678901234567.0, "1.2345678901234568e+16"},
        {9007199254740992.0, "9007199254740992.0"},
        {1e22, "1e+22"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {-2.5, "-2.5"},
        {0.0, "0.0"},
        {-0.0, "-0.0"},
        {1795819518.0032141 + 0.0001, "1795819518.003314"},
    };
    for (const auto& [v, expected] : cases) BOOST_TEST(py_float_repr(v) == expected);
    // Not for callers, but never "nan"/"inf": Python's json spelling.
    BOOST_TEST(py_float_repr(std::numeric_limits<double>::quiet_NaN()) == "NaN");
    BOOST_TEST(py_float_repr(-std::numeric_limits<double>::infinity()) == "-Infinity");
}

BOOST_AUTO_TEST_CASE(string_escapes_like_python_ensure_ascii) {
    const std::string s =
        std::string("a\"b\\c/\n\r\t\b\f") + std::string(1, '\0') +
        "\x01\x1f\x7f \xc3\xa9\xe2\x80\xa8\xef\xbf\xbf\xf0\x9f\x98\x80\xf0\x9d\x84\x9e";
    std::string out;
    py_json_string(s, out);
    BOOST_TEST(
        out ==
        R"("a\"b\\c/\n\r\t\b\f\u0000\u0001\u001f\u007f \u00e9\u2028\uffff\ud83d\ude00\ud834\udd1e")");
}

BOOST_AUTO_TEST_CASE(dump_matches_python_json_dumps) {
    auto doc = parse(
        R"({"a":[1,2.0,-0,1e2,1E-7,true,false,null,"x",18446744073709551615,-9223372036854775808],)"
        R"("b":{},"c":[],"d":{"e":0.1}})");
    BOOST_TEST(py_json_dumps(doc) ==
               R"({"a": [1, 2.0, 0, 100.0, 1e-07, true, false, null, "x", 18446744073709551615, )"
               R"(-9223372036854775808], "b": {}, "c": [], "d": {"e": 0.1}})");
}

BOOST_AUTO_TEST_CASE(repeated_keys_keep_first_position_and_last_value) {
    BOOST_TEST(py_json_dumps(parse(R"({"a":1,"b":2,"a":3})")) == R"({"a": 3, "b": 2})");
    // Past the small-object path too.
    std::string big = "{";
    for (int i = 0; i < 20; ++i) big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    big += "\"k3\":99}";
    const std::string out = py_json_dumps(parse(big));
    BOOST_TEST(out.find("\"k3\": 99, \"k4\": 4") != std::string::npos);
    BOOST_TEST(out.find("\"k3\": 3") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(length_counts_python_characters) {
    BOOST_TEST(py_json_length(parse(R"("\u00e9")")) == 8u);         // "\u00e9"
    BOOST_TEST(py_json_length(parse(R"("\ud83d\ude00")")) == 14u);  // two escapes
    BOOST_TEST(py_json_length(parse(R"({"a": [1, 2]})")) == std::string(R"({"a": [1, 2]})").size());
}

BOOST_AUTO_TEST_CASE(deep_nesting_throws_instead_of_overflowing) {
    auto doc = parse(repeat("[", 600) + repeat("]", 600));
    BOOST_CHECK_THROW(py_json_dumps(doc), std::runtime_error);
    BOOST_CHECK_NO_THROW(py_json_dumps(parse(repeat("[", 100) + repeat("]", 100))));
}

BOOST_AUTO_TEST_CASE(parse_json_accepts_nan_rejects_garbage) {
    rapidjson::Document doc;
    std::string error;
    BOOST_TEST(parse_json(R"([{"mt": NaN}])", doc, &error));
    BOOST_TEST(json_has_non_finite(doc));
    BOOST_TEST(!parse_json("[1,", doc, &error));
    BOOST_TEST(!error.empty());
    BOOST_TEST(!parse_json("[1] x", doc));
    BOOST_TEST(!parse_json("\"\xff\"", doc));  // not UTF-8
    BOOST_TEST(!json_has_non_finite(parse(R"({"a": [1.5, {"b": 2}]})")));
}

BOOST_AUTO_TEST_CASE(restamp_replaces_st_in_place) {
    const std::string ob =
        R"({"key": "ADUdRPPg", "mt": 1768045860, "t1": 1768040400, "t2": 1768045800, "ds": "#caf\u00e9 \u2709\ufe0f", "st": 1795819517.9090009})";
    BOOST_TEST(
        restamp_ob(ob, 1795819518.5) ==
        R"({"key": "ADUdRPPg", "mt": 1768045860, "t1": 1768040400, "t2": 1768045800, "ds": "#caf\u00e9 \u2709\ufe0f", "st": 1795819518.5})");
}

BOOST_AUTO_TEST_CASE(restamp_keeps_every_digit_and_normalises_like_python) {
    // json.dumps(json.loads(...)) with st replaced; nested "st" untouched.
    BOOST_TEST(
        restamp_ob(
            R"({"k":100000000000000000000,"st":5,"v":-0,"w":-Infinity,"x":-0.0,"y":{"st":1},"z":[1E2]})",
            2.5) ==
        R"({"k": 100000000000000000000, "st": 2.5, "v": 0, "w": -Infinity, "x": -0.0, "y": {"st": 1}, "z": [100.0]})");
    // A setting whose value is an object, and st in the middle.
    BOOST_TEST(restamp_ob(R"({"key": "a", "st": 1.0, "value": {"st": [1, {"x": null}]}, "mt": 3})",
                          7.25) ==
               R"({"key": "a", "st": 7.25, "value": {"st": [1, {"x": null}]}, "mt": 3})");
    // st missing: appended, as Python's item["st"] = ... does.
    BOOST_TEST(restamp_ob(R"({"key": "a", "mt": 3})", 1.5) ==
               R"({"key": "a", "mt": 3, "st": 1.5})");
    BOOST_TEST(restamp_ob("{}", 1.5) == R"({"st": 1.5})");
    // A repeated root st appears once.
    BOOST_TEST(restamp_ob(R"({"st": 1, "a": 2, "st": {"deep": [3]}, "b": 4})", 9.0) ==
               R"({"st": 9.0, "a": 2, "b": 4})");
    BOOST_CHECK_THROW(restamp_ob("[1, 2]", 1.0), std::runtime_error);
    BOOST_CHECK_THROW(restamp_ob("{\"a\": ", 1.0), std::runtime_error);
    BOOST_CHECK_THROW(restamp_ob("", 1.0), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(validation)

BOOST_AUTO_TEST_CASE(integer_coercion_table) {
    const std::pair<const char*, std::optional<int64_t>> cases[] = {
        {"1.9", 1},
        {"-1.9", -1},
        {"0.5", 0},
        {"-0.0", 0},
        {"12", 12},
        {"\"12\"", 12},
        {"\"+12\"", 12},
        {"\"-12\"", -12},
        {"\"-0\"", 0},
        {"\"007\"", 7},
        {"1e18", 1000000000000000000},
        {"9223372036854775807", INT64_MAX},
        {"-9223372036854775808", INT64_MIN},
        {"\"9223372036854775807\"", INT64_MAX},
        {"\"-9223372036854775808\"", INT64_MIN},
        {"9223372036854775808", std::nullopt},  // 2^63
        {"18446744073709551615", std::nullopt},
        {"\"9223372036854775808\"", std::nullopt},
        {"\"-9223372036854775809\"", std::nullopt},
        {"-9223372036854775809", std::nullopt},  // below -2^63: parsed as a double of -2^63
        {"-9223372036854776000", std::nullopt},
        {"-99999999999999999999999", std::nullopt},
        {"-9.3e18", std::nullopt},
        {"-9223372036854774784.0", -9223372036854774784},  // the double next to -2^63
        {"\"99999999999999999999999\"", std::nullopt},
        {"9.3e18", std::nullopt},
        {"1e300", std::nullopt},
        {"-1e300", std::nullopt},
        {"NaN", std::nullopt},
        {"Infinity", std::nullopt},
        {"\"1.5\"", std::nullopt},
        {"\"\"", std::nullopt},
        {"\"+\"", std::nullopt},
        {"\"-\"", std::nullopt},
        {"\" 12\"", std::nullopt},
        {"\"12a\"", std::nullopt},
        {"\"1e3\"", std::nullopt},
        {"\"0x10\"", std::nullopt},
        {"true", std::nullopt},
        {"false", std::nullopt},
        {"null", std::nullopt},
        {"[1]", std::nullopt},
        {"{}", std::nullopt},
    };
    for (const auto& [text, expected] : cases) {
        auto doc = parse(std::string("[") + text + "]");
        const auto got = coerce_int64(doc[0]);
        BOOST_TEST_CONTEXT("value " << text) {
            BOOST_TEST(got.has_value() == expected.has_value());
            if (got && expected) BOOST_TEST(*got == *expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(coercion_applies_to_each_of_mt_t1_t2) {
    auto v = validate(Kind::records, R"({"key": "abc", "mt": "12", "t1": 1.9, "t2": "-3"})");
    BOOST_REQUIRE(v.ok);
    BOOST_TEST(v.item.mt == 12);
    BOOST_TEST(v.item.t1 == 1);
    BOOST_TEST(v.item.t2 == -3);
    for (const char* field : {"mt", "t1", "t2"}) {
        std::string text = R"({"key": "abc", "mt": 1, "t1": 1, "t2": 2})";
        text.replace(text.find(std::string("\"") + field + "\": ") + std::string(field).size() + 4,
                     1, "true");
        auto bad = validate(Kind::records, text);
        BOOST_TEST_CONTEXT(text) {
            BOOST_TEST(!bad.ok);
            BOOST_TEST(bad.key.value_or("") == "abc");
            BOOST_TEST(
                bad.error ==
                std::string("Record abc: ") + field +
                    " must be an integer (a number, or a string of decimal digits) within 64 bits");
        }
    }
}

BOOST_AUTO_TEST_CASE(items_without_string_key_have_no_key) {
    for (const char* text : {"1", "\"x\"", "null", "[]", R"({"mt": 1})", R"({"key": 5, "mt": 1})",
                             R"({"key": null})", R"({"key": ["a"]})"}) {
        auto v = validate(Kind::records, text);
        BOOST_TEST_CONTEXT(text) {
            BOOST_TEST(!v.ok);
            BOOST_TEST(!v.key.has_value());
            BOOST_TEST(v.error == "Got item that is not a dict with str 'key' field.");
        }
    }
}

BOOST_AUTO_TEST_CASE(missing_required_fields_fail) {
    auto r = validate(Kind::records, R"({"key": "k1", "mt": 1, "t1": 5})");
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.key.value() == "k1");
    BOOST_TEST(r.error == "A records is missing required fields: {'t2'}");  // TimeTagger's text
    auto m = validate(Kind::records, R"({"key": "k1", "t1": 5, "t2": 6})");
    BOOST_TEST(m.error == "A records is missing required fields: {'mt'}");
    auto all = validate(Kind::records, R"({"key": "k1", "ds": "x"})");
    BOOST_TEST(all.error == "A records is missing required fields: {'mt', 't1', 't2'}");
    // A field that is there but wrong is named before the missing ones, as TimeTagger does.
    auto wrong = validate(Kind::records, R"({"key": "k1", "t1": "x"})");
    BOOST_TEST(wrong.error ==
               "Record k1: t1 must be an integer (a number, or a string of decimal digits) within "
               "64 bits");
    auto s = validate(Kind::settings, R"({"key": "s1", "mt": 1})");
    BOOST_TEST(!s.ok);
    BOOST_TEST(s.error == "A settings is missing required fields: {'value'}");
    // null is a value (TimeTagger accepts it).
    BOOST_TEST(validate(Kind::settings, R"({"key": "s1", "mt": 1, "value": null})").ok);
    BOOST_TEST(
        validate(Kind::records, R"({"key": "k", "mt": 1, "t1": 1, "t2": 2})").ok);  // ds optional
}

BOOST_AUTO_TEST_CASE(key_rules) {
    auto empty = validate(Kind::records, R"({"key": "", "mt": 1, "t1": 1, "t2": 2})");
    BOOST_TEST(!empty.ok);
    BOOST_TEST(empty.key.value() == "");
    BOOST_TEST(empty.error == "Record with an empty key: key must not be empty");

    // Code points, not bytes: 255 four-byte characters pass, 256 fail.
    const std::string emoji = "\xf0\x9f\x98\x80";
    auto ok = validate(Kind::records, "{\"key\": \"" + repeat(emoji, 255) +
                                          "\", \"mt\": 1, \"t1\": 1, \"t2\": 2}");
    BOOST_TEST(ok.ok);
    auto bad = validate(Kind::records, "{\"key\": \"" + repeat(emoji, 256) +
                                           "\", \"mt\": 1, \"t1\": 1, \"t2\": 2}");
    BOOST_TEST(!bad.ok);
    BOOST_TEST(bad.key.value() == repeat(emoji, 256));
    BOOST_TEST(bad.error == "String values must be less than 256 chars.");  // TimeTagger's text
    BOOST_TEST(
        validate(Kind::settings, "{\"key\": \"" + repeat("a", 255) + "\", \"mt\": 1, \"value\": 1}")
            .ok);
    BOOST_TEST(!validate(Kind::settings,
                         "{\"key\": \"" + repeat("a", 256) + "\", \"mt\": 1, \"value\": 1}")
                    .ok);
}

BOOST_AUTO_TEST_CASE(ds_rules) {
    const std::string e_acute = "\xc3\xa9";
    auto ok =
        validate(Kind::records, "{\"key\": \"k\", \"mt\": 1, \"t1\": 1, \"t2\": 2, \"ds\": \"" +
                                    repeat(e_acute, 255) + "\"}");
    BOOST_TEST(ok.ok);
    BOOST_TEST(ok.item.has_ds);
    BOOST_TEST(ok.item.ds == repeat(e_acute, 255));
    auto longer =
        validate(Kind::records, "{\"key\": \"k\", \"mt\": 1, \"t1\": 1, \"t2\": 2, \"ds\": \"" +
                                    repeat(e_acute, 256) + "\"}");
    BOOST_TEST(!longer.ok);
    BOOST_TEST(longer.error == "String values must be less than 256 chars.");
    for (const char* ds : {"12", "null", "true", "[\"a\"]", "{}"}) {
        auto v =
            validate(Kind::records,
                     std::string(R"({"key": "k", "mt": 1, "t1": 1, "t2": 2, "ds": )") + ds + "}");
        BOOST_TEST_CONTEXT(ds) {
            BOOST_TEST(!v.ok);
            BOOST_TEST(v.error == "Record k: ds must be a string");
        }
    }
    BOOST_TEST(validate(Kind::records, R"({"key": "k", "mt": 1, "t1": 1, "t2": 2, "ds": ""})").ok);
}

BOOST_AUTO_TEST_CASE(value_length_measured_like_python) {
    // json.dumps length: 2 quotes + ASCII + 6 per BMP escape + 12 per astral character.
    const std::string e_acute = "\xc3\xa9", astral = "\xf0\x9f\x98\x80";
    auto setting = [](const std::string& s) {
        return "{\"key\": \"v\", \"mt\": 1, \"value\": \"" + s + "\"}";
    };
    // 2 + 6*1000 + 2189 = 8191 characters: accepted; one more: refused.
    auto ok = validate(Kind::settings, setting(repeat(e_acute, 1000) + repeat("x", 2189)));
    BOOST_TEST(ok.ok);
    BOOST_TEST(ok.item.value_json.size() == 8191u);
    auto bad = validate(Kind::settings, setting(repeat(e_acute, 1000) + repeat("x", 2190)));
    BOOST_TEST(!bad.ok);
    BOOST_TEST(bad.error ==
               "Values must be less than 256 chars when jsonized.");  // sic, TimeTagger's text
    // 2 + 12*500 + 2189 = 8191
    BOOST_TEST(validate(Kind::settings, setting(repeat(astral, 500) + repeat("x", 2189))).ok);
    BOOST_TEST(!validate(Kind::settings, setting(repeat(astral, 500) + repeat("x", 2190))).ok);
    // Separators count: [1, 1, ...] is 3 characters per extra element.
    std::string list = "[" + repeat("1,", 2729) + "1]";  // 2 + 2730 + 2729*2 = 8190
    BOOST_TEST(validate(Kind::settings, "{\"key\": \"v\", \"mt\": 1, \"value\": " + list + "}").ok);
}

BOOST_AUTO_TEST_CASE(value_with_nan_or_deep_nesting_fails) {
    auto nan = validate(Kind::settings, R"({"key": "v", "mt": 1, "value": [1, NaN]})");
    BOOST_TEST(!nan.ok);
    BOOST_TEST(nan.error == "Setting v: value must not contain NaN or Infinity");
    auto deep =
        validate(Kind::settings, "{\"key\": \"v\", \"mt\": 1, \"value\": " + repeat("[", 600) +
                                     repeat("]", 600) + "}");
    BOOST_TEST(!deep.ok);
    BOOST_TEST(deep.error == "Setting v: value is nested too deeply");
}

BOOST_AUTO_TEST_CASE(unknown_fields_are_dropped) {
    auto v = validate(
        Kind::records,
        R"({"key": "k", "mt": 3, "extra": [1], "t1": 1, "st": 99.5, "t2": 2, "value": 5, "ds": "x"})");
    BOOST_REQUIRE(v.ok);
    BOOST_TEST(make_ob(Kind::records, v.item, 1.5) ==
               R"({"key": "k", "mt": 3, "t1": 1, "t2": 2, "ds": "x", "st": 1.5})");
    auto s = validate(Kind::settings,
                      R"({"value": {"b": 1, "a": [true]}, "t1": 4, "mt": "7", "key": "s"})");
    BOOST_REQUIRE(s.ok);
    BOOST_TEST(
        make_ob(Kind::settings, s.item, 1795819518.0032141) ==
        R"({"key": "s", "mt": 7, "value": {"b": 1, "a": [true]}, "st": 1795819518.0032141})");
}

BOOST_AUTO_TEST_CASE(repeated_fields_use_the_last_as_python) {
    auto v =
        validate(Kind::records, R"({"key": "a", "key": "b", "mt": 1, "t1": 1, "t2": 2, "t1": 0})");
    BOOST_REQUIRE(v.ok);
    BOOST_TEST(v.item.key == "b");
    BOOST_TEST(v.item.t1 == 0);
}

BOOST_AUTO_TEST_CASE(make_ob_without_ds_and_with_escapes) {
    auto v = validate(Kind::records, R"({"key": "k\"1", "mt": 1, "t1": 5, "t2": 5})");
    BOOST_REQUIRE(v.ok);
    BOOST_TEST(make_ob(Kind::records, v.item, 123.0) ==
               R"({"key": "k\"1", "mt": 1, "t1": 5, "t2": 5, "st": 123.0})");
    auto w = validate(
        Kind::records,
        R"({"key": "k", "mt": 1, "t1": 5, "t2": 6, "ds": "#caf\u00e9 \u2709\ufe0f \ud83d\ude00"})");
    BOOST_REQUIRE(w.ok);
    BOOST_TEST(
        make_ob(Kind::records, w.item, 0.5) ==
        R"({"key": "k", "mt": 1, "t1": 5, "t2": 6, "ds": "#caf\u00e9 \u2709\ufe0f \ud83d\ude00", "st": 0.5})");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tags)

BOOST_AUTO_TEST_CASE(tag_followed_by_space_or_end) {
    BOOST_TEST(ds_has_tag("#client/acme #dev review PR", "client/acme"));
    BOOST_TEST(ds_has_tag("#client/acme #dev review PR", "#dev"));
    BOOST_TEST(ds_has_tag("work #dev", "dev"));
    BOOST_TEST(!ds_has_tag("#devops review", "dev"));  // a longer tag
    BOOST_TEST(!ds_has_tag("#dev, review", "dev"));    // followed by a comma
    BOOST_TEST(!ds_has_tag("dev review", "dev"));      // no '#'
    BOOST_TEST(ds_has_tag("#devops #dev", "dev"));     // second occurrence counts
    BOOST_TEST(!ds_has_tag("", "dev"));
    BOOST_TEST(!ds_has_tag("#de", "dev"));
    BOOST_TEST(ds_has_tag("anything", ""));  // no constraint
}

BOOST_AUTO_TEST_CASE(ascii_case_insensitive_only) {
    BOOST_TEST(ds_has_tag("#Client/ACME x", "client/acme"));
    BOOST_TEST(ds_has_tag("#dev", "DEV"));
    BOOST_TEST(ds_has_tag("#caf\xc3\xa9 #pause", "CAF\xc3\xa9"));
    BOOST_TEST(!ds_has_tag("#caf\xc3\x89", "caf\xc3\xa9"));  // É vs é: not ASCII, not folded
}

BOOST_AUTO_TEST_CASE(sql_wildcards_are_literal) {
    BOOST_TEST(ds_has_tag("#50% done", "50%"));
    BOOST_TEST(!ds_has_tag("#50x done", "50%"));
    BOOST_TEST(!ds_has_tag("#50 done", "50%"));
    BOOST_TEST(ds_has_tag("#a_b", "a_b"));
    BOOST_TEST(!ds_has_tag("#axb", "a_b"));
    BOOST_TEST(ds_has_tag("#a\\b", "a\\b"));
    BOOST_TEST(!ds_has_tag("#ab", "a\\b"));
}

// The same vectors as tests/web/tag-vectors.test.mjs, so the server's tags (tagwatch-admin's
// CSV) and the web app's can never part.
BOOST_AUTO_TEST_CASE(tag_set_and_deleted_mark_follow_the_shared_vectors) {
    const rapidjson::Document doc = parse(tagwatch_test::fixture_text("tags.json"));
    const auto& vectors = doc["vectors"];
    BOOST_REQUIRE(vectors.Size() >= 30u);
    for (const auto& v : vectors.GetArray()) {
        const std::string ds(v["ds"].GetString(), v["ds"].GetStringLength());
        std::vector<std::string> expected;
        for (const auto& t : v["tags"].GetArray())
            expected.emplace_back(t.GetString(), t.GetStringLength());
        const std::vector<std::string> got = ds_tags(ds);
        BOOST_TEST(got == expected, "tags of '" << ds << "' (" << v["why"].GetString() << ")");
        BOOST_TEST(ds_is_deleted(ds) == v["hidden"].GetBool(), "deleted mark of '" << ds << "'");
    }
}

// The records query's filter is the server's SQL LIKE, ASCII case-insensitive, unlike the
// client's deleted mark above.
BOOST_AUTO_TEST_CASE(hidden_prefix) {
    BOOST_TEST(ds_is_hidden("HIDDEN #dev x"));
    BOOST_TEST(ds_is_hidden("hidden"));
    BOOST_TEST(ds_is_hidden("HiDdEnx"));
    BOOST_TEST(!ds_is_hidden(" HIDDEN"));
    BOOST_TEST(!ds_is_hidden("HIDDE"));
    BOOST_TEST(!ds_is_hidden(""));
}

BOOST_AUTO_TEST_SUITE_END()
