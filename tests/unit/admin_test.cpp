// Unit tests of tagwatch-admin's pure parts that live in headers: CSV fields and rows
// (src/admin/csv.hpp). The commands themselves are tested by running the real program
// (tests/admin/*.test.mjs).
#include <boost/test/unit_test.hpp>

#include "admin/csv.hpp"

using namespace tagwatch::admin;

BOOST_AUTO_TEST_SUITE(admin_csv)

BOOST_AUTO_TEST_CASE(plain_fields_stay_as_they_are) {
    BOOST_TEST(csv_field("hello world") == "hello world");
    BOOST_TEST(csv_field("") == "");
    BOOST_TEST(csv_field("-12") == "-12");
    BOOST_TEST(csv_field("caf\xc3\xa9 #tag") == "caf\xc3\xa9 #tag");
}

BOOST_AUTO_TEST_CASE(separators_quotes_and_line_breaks_are_quoted) {
    BOOST_TEST(csv_field("a,b") == "\"a,b\"");
    BOOST_TEST(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    BOOST_TEST(csv_field("two\nlines") == "\"two\nlines\"");
    BOOST_TEST(csv_field("cr\rhere") == "\"cr\rhere\"");
}

BOOST_AUTO_TEST_CASE(formula_starts_become_text) {
    BOOST_TEST(csv_field("=1+1") == "'=1+1");
    BOOST_TEST(csv_field("+49 30") == "'+49 30");
    BOOST_TEST(csv_field("@SUM(A1)") == "'@SUM(A1)");
    BOOST_TEST(csv_field("-cmd") == "'-cmd");
    BOOST_TEST(csv_field("=A1,B1") == "\"'=A1,B1\"");
}

BOOST_AUTO_TEST_CASE(rows_end_in_crlf) {
    BOOST_TEST(csv_row({"a", "b,c", ""}) == "a,\"b,c\",\r\n");
    BOOST_TEST(csv_row({}) == "\r\n");
}

BOOST_AUTO_TEST_SUITE_END()
