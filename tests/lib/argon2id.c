/* Prints libsodium's Argon2id string for argv[1] (2 passes, 19 MiB, as tagwatch makes them):
 * the API tests need real Argon2id hashes (with their commas) in the credentials setting. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    char out[crypto_pwhash_STRBYTES];
    if (argc != 2 || sodium_init() < 0) return 2;
    if (crypto_pwhash_str(out, argv[1], strlen(argv[1]), 2, 19u * 1024 * 1024) != 0) return 1;
    puts(out);
    return 0;
}
