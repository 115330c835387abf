// The one Boost.Test module: every tests/unit/*_test.cpp links into build/unit-tests.
#define BOOST_TEST_MODULE tagwatch
#include <boost/test/unit_test.hpp>
