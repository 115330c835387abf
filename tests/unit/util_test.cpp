// Unit tests of src/util: trimming and case folding, the clocks and the UTC time text,
// base64 in both alphabets, UTF-8 validation, decoding and Latin-1, and the file helpers.
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <filesystem>
#include <string>

#include "temp_dir.hpp"
#include "util/base64.hpp"
#include "util/clock.hpp"
#include "util/file.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

using namespace tagwatch;

BOOST_AUTO_TEST_SUITE(util_text)

// White space as Python's str.strip() sees it: TimeTagger strips query values, user names,
// passwords and its key file so ("running=%20false%20" is false).
BOOST_AUTO_TEST_CASE(trim_strips_as_python_does) {
    BOOST_TEST(trim("  a b \t\r\n\f\v") == "a b");
    BOOST_TEST(trim("\n\tx") == "x");
    BOOST_TEST(trim("x") == "x");
    BOOST_TEST(trim(" \t ") == "");
    BOOST_TEST(trim("") == "");
    BOOST_TEST(trim("\x1c\x1d\x1e\x1fx\x1f") == "x");  // Python's isspace() has these too
    // Unicode spaces in UTF-8: U+00A0, U+3000, U+2028, U+0085, U+200A; inner ones stay.
    BOOST_TEST(trim("\xc2\xa0\xe3\x80\x80"
                    "false\xe2\x80\xa8\xc2\x85") == "false");
    BOOST_TEST(trim("\xe2\x80\x8a a\xc2\xa0"
                    "b \xe2\x80\x8a") ==
               "a\xc2\xa0"
               "b");
    // Not white space: U+200B (zero width space), U+FEFF, and a lone continuation byte.
    BOOST_TEST(trim("\xe2\x80\x8bx") == "\xe2\x80\x8bx");
    BOOST_TEST(trim("\xef\xbb\xbfx") == "\xef\xbb\xbfx");
    BOOST_TEST(trim("x\xa0") == "x\xa0");
}

BOOST_AUTO_TEST_CASE(ascii_case_folding_leaves_other_bytes) {
    BOOST_TEST(ascii_lower("HeLLo-\xc3\x89") == "hello-\xc3\x89");
    BOOST_TEST(ascii_upper("datadir_9\xc3\xa9") == "DATADIR_9\xc3\xa9");
    BOOST_TEST(iequals_ascii("HIDDEN", "hidden"));
    BOOST_TEST(iequals_ascii("", ""));
    BOOST_TEST(!iequals_ascii("hidden", "hidde"));
    BOOST_TEST(!iequals_ascii("caf\xc3\xa9", "CAF\xc3\x89"));  // é vs É: not ASCII, not folded
    BOOST_TEST(!iequals_ascii("[", "{"));  // 0x5B and 0x7B differ by 0x20 but are no letters
}

BOOST_AUTO_TEST_CASE(hex_digits) {
    BOOST_TEST(hex_digit('0') == 0);
    BOOST_TEST(hex_digit('9') == 9);
    BOOST_TEST(hex_digit('a') == 10);
    BOOST_TEST(hex_digit('F') == 15);
    for (char c : {'g', 'G', '/', ':', '@', '`', ' ', '\0', '\xff'}) BOOST_TEST(hex_digit(c) == -1);
}

// Unicode lower case as JavaScript's toLowerCase (the web app lowercases tags with it).
BOOST_AUTO_TEST_CASE(unicode_lower_as_javascript) {
    BOOST_TEST(unicode_lower("ABC xyz 09#_") == "abc xyz 09#_");
    BOOST_TEST(unicode_lower("\xc3\x89T\xc3\x89") == "\xc3\xa9t\xc3\xa9");  // ÉTÉ
    BOOST_TEST(unicode_lower("\xc4\xb0") == "i\xcc\x87");                   // İ: i + U+0307
    BOOST_TEST(unicode_lower("\xc4\x80\xc4\x81\xc4\x82") == "\xc4\x81\xc4\x81\xc4\x83");  // Ā ā Ă
    BOOST_TEST(unicode_lower("\xf0\x90\x90\x80") == "\xf0\x90\x90\xa8");  // Deseret, four bytes
    BOOST_TEST(unicode_lower("\xe2\x84\xaa") == "k");                     // Kelvin sign
    // Final sigma: ΟΔΟΣ -> οδος with ς; Σ alone or first -> σ; ΑΣ. -> ας.
    BOOST_TEST(unicode_lower("\xce\x9f\xce\x94\xce\x9f\xce\xa3") ==
               "\xce\xbf\xce\xb4\xce\xbf\xcf\x82");
    BOOST_TEST(unicode_lower("\xce\xa3") == "\xcf\x83");
    BOOST_TEST(unicode_lower("#\xce\xa3\xce\x91") == "#\xcf\x83\xce\xb1");
    BOOST_TEST(unicode_lower("\xce\x91\xce\xa3.") == "\xce\xb1\xcf\x82.");
    // Bytes that are not UTF-8 stay as they are.
    BOOST_TEST(unicode_lower("A\xff\xc3"
                             "B") ==
               "a\xff\xc3"
               "b");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(util_clock)

BOOST_AUTO_TEST_CASE(wall_clock_is_now_with_fractions) {
    const double a = now_seconds();
    const std::time_t b = std::time(nullptr);
    BOOST_TEST(a > 1.7e9);
    BOOST_TEST(a - static_cast<double>(b) < 2.0);
    BOOST_TEST(static_cast<double>(b) - a < 2.0);
}

BOOST_AUTO_TEST_CASE(coarse_clock_never_goes_back) {
    const std::time_t a = coarse_monotonic_seconds();
    const std::time_t b = coarse_monotonic_seconds();
    BOOST_TEST(b >= a);
}

BOOST_AUTO_TEST_CASE(iso_utc_text) {
    BOOST_TEST(iso_utc(0) == "1970-01-01T00:00:00Z");
    BOOST_TEST(iso_utc(1700000000) == "2023-11-14T22:13:20Z");
    BOOST_TEST(iso_utc(-1) == "1969-12-31T23:59:59Z");
    BOOST_TEST(iso_utc(253402300799) == "9999-12-31T23:59:59Z");
    BOOST_TEST(iso_utc(253402300800) == "");  // year 10000: no four-digit year
    BOOST_TEST(iso_utc(INT64_MAX) == "");
    BOOST_TEST(iso_utc(INT64_MIN) == "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(util_base64)

BOOST_AUTO_TEST_CASE(round_trips_every_length_and_byte) {
    std::string bytes;
    for (int i = 0; i < 300; ++i) {
        BOOST_TEST(base64_decode(base64_encode(bytes)).value() == bytes);
        BOOST_TEST(base64_decode(base64url_encode(bytes, true)).value() == bytes);
        BOOST_TEST(base64_decode(base64url_encode(bytes, false)).value() == bytes);
        bytes += static_cast<char>((i * 37 + 11) & 0xFF);
    }
}

BOOST_AUTO_TEST_CASE(known_vectors_and_alphabets) {
    BOOST_TEST(base64_encode("") == "");
    BOOST_TEST(base64_encode("f") == "Zg==");
    BOOST_TEST(base64_encode("fo") == "Zm8=");
    BOOST_TEST(base64_encode("foo") == "Zm9v");
    BOOST_TEST(base64url_encode("fo", false) == "Zm8");
    BOOST_TEST(base64url_encode("fo", true) == "Zm8=");
    BOOST_TEST(base64_encode("\xfb\xff") == "+/8=");
    BOOST_TEST(base64url_encode("\xfb\xff", true) == "-_8=");
    BOOST_TEST(base64_decode("+/8=").value() == "\xfb\xff");
    BOOST_TEST(base64_decode("-_8").value() == "\xfb\xff");
    BOOST_TEST(base64_decode("  Zm9v\r\n").value() == "foo");  // btoa bodies may end with a newline
    BOOST_TEST(base64_decode("").value() == "");
    // The fixture user zoë's file name part.
    BOOST_TEST(base64url_encode("zo\xc3\xab", true) == "em_Dqw==");
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
    for (const char* bad : {"Z", "Zm9vY", "Zm=", "Zm9=v", "Zm8==", "Z===", "====", "=", "Zm 9v",
                            "Zm9v!", "Zm.v", "Zm9v\n\nZm9v", "\xc3\xa9\xc3\xa9"})
        BOOST_TEST(!base64_decode(bad).has_value(), "accepted: " << bad);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(util_utf8)

BOOST_AUTO_TEST_CASE(validation_and_latin1) {
    BOOST_TEST(valid_utf8(""));
    BOOST_TEST(valid_utf8("plain"));
    BOOST_TEST(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"));
    for (const char* bad : {"\x80", "\xc3", "\xc0\x80", "\xe0\x80\xaf", "\xed\xa0\x80",
                            "\xf4\x90\x80\x80", "\xf5", "\xff", "\xe2\x82", "\xf0\x9f\x98"})
        BOOST_TEST(!valid_utf8(bad));
    BOOST_TEST(latin1_to_utf8("caf\xe9 \xff") == "caf\xc3\xa9 \xc3\xbf");
}

BOOST_AUTO_TEST_CASE(length_counts_code_points) {
    BOOST_TEST(utf8::length("abc") == 3u);
    BOOST_TEST(utf8::length("\xc3\xa9\xf0\x9f\x98\x80") == 2u);
    BOOST_TEST(utf8::length("\xff\xfe") == 2u);      // invalid bytes count one each
    BOOST_TEST(utf8::length("\xed\xa0\x80") == 3u);  // a surrogate: three bytes, three counts
    BOOST_TEST(utf8::prefix_bytes("\xc3\xa9x\xf0\x9f\x98\x80", 2) == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(util_file)

namespace {
unsigned mode_of(const std::string& path) {
    struct stat st {};
    BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}
}  // namespace

BOOST_AUTO_TEST_CASE(private_dirs_are_made_0700_with_their_parents) {
    const std::string base = tagwatch_test::temp_dir("files");
    const auto made = make_private_dirs(base + "/a/b/c");
    BOOST_TEST(made.size() == 3u);
    BOOST_TEST(made.front() == base + "/a");
    for (const auto& d : made) BOOST_TEST(mode_of(d) == 0700u, d);
    BOOST_TEST(make_private_dirs(base + "/a/b/c").empty());  // there already: nothing made
    BOOST_TEST(make_private_dirs(base + "/a/b/c/").empty());
    write_file_atomically(base + "/file", "x", 0600);
    BOOST_CHECK_THROW(make_private_dirs(base + "/file"), std::runtime_error);
    BOOST_CHECK_THROW(make_private_dirs(base + "/file/sub"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(whole_files_are_read_up_to_a_limit) {
    const std::string base = tagwatch_test::temp_dir("files");
    const std::string path = base + "/big";
    write_file_atomically(path, std::string(100000, 'x'), 0600);
    BOOST_TEST(read_file_if_exists(path)->size() == 100000u);  // past one read's buffer
    BOOST_TEST(read_file_if_exists(path, 100000)->size() == 100000u);
    BOOST_CHECK_EXCEPTION(
        read_file_if_exists(path, 99999), std::runtime_error, [](const std::runtime_error& e) {
            return std::string(e.what()).find("larger than 99999 bytes") != std::string::npos;
        });
    BOOST_TEST(!read_file_if_exists(base + "/missing"));
}

BOOST_AUTO_TEST_CASE(files_are_replaced_atomically_with_the_mode_asked_for) {
    const std::string base = tagwatch_test::temp_dir("files");
    const std::string path = base + "/f.txt";
    const mode_t old_umask = ::umask(077);
    write_file_atomically(path, "first", 0644);  // the umask does not take bits away
    ::umask(old_umask);
    BOOST_TEST(mode_of(path) == 0644u);
    BOOST_TEST(read_file(path) == "first");
    write_file_atomically(path, std::string("se\0cond", 7), 0600);
    BOOST_TEST(read_file(path) == std::string("se\0cond", 7));
    BOOST_TEST(mode_of(path) == 0600u);
    // Nothing but the file itself is left in the folder.
    size_t entries = 0;
    for (const auto& e : std::filesystem::directory_iterator(base))
        entries += e.path() == path ? 1 : 100;
    BOOST_TEST(entries == 1u);
    try {
        write_file_atomically(base + "/missing/f.txt", "x", 0600);
        BOOST_FAIL("wrote into a folder that does not exist");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()).find(base + "/missing/f.txt") != std::string::npos,
                   e.what());
    }
}

BOOST_AUTO_TEST_CASE(reading_a_missing_or_too_large_file) {
    const std::string base = tagwatch_test::temp_dir("files");
    BOOST_TEST(!read_file_if_exists(base + "/none").has_value());
    BOOST_CHECK_THROW(read_file(base + "/none"), std::runtime_error);
    write_file_atomically(base + "/big", std::string(100000, 'x'), 0600);
    BOOST_TEST(read_file(base + "/big").size() == 100000u);
    BOOST_TEST(read_file_if_exists(base + "/big", 100000).value().size() == 100000u);
    BOOST_CHECK_THROW(read_file_if_exists(base + "/big", 4096), std::runtime_error);
    BOOST_CHECK_THROW(read_file(base), std::runtime_error);  // a folder
}

BOOST_AUTO_TEST_SUITE_END()
