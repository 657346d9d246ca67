// Passwords: Argon2id hashes that verify only the right password, and the 等保 rules with the
// rule each refusal names.
#include <gtest/gtest.h>

#include "host/security/password_hasher.h"
#include "host/security/password_policy.h"

namespace civ::host {
namespace {

TEST(PasswordHasher, HashesAreSaltedArgon2idAndVerifyOnlyTheRightPassword) {
  const std::string first = PasswordHasher::hash("Correct-Horse-9");
  const std::string second = PasswordHasher::hash("Correct-Horse-9");
  EXPECT_TRUE(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << first;
  EXPECT_NE(first, second);  // a new salt each time
  EXPECT_TRUE(PasswordHasher::verify(first, "Correct-Horse-9"));
  EXPECT_TRUE(PasswordHasher::verify(second, "Correct-Horse-9"));
  EXPECT_FALSE(PasswordHasher::verify(first, "Correct-Horse-8"));
  EXPECT_FALSE(PasswordHasher::verify(first, ""));
  EXPECT_FALSE(PasswordHasher::verify("", "Correct-Horse-9"));
  EXPECT_FALSE(PasswordHasher::verify("$argon2i$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$aGFzaA", "x"));
  EXPECT_FALSE(PasswordHasher::verify("plain text", "plain text"));
}

TEST(PasswordPolicy, NamesTheRuleABadPasswordBreaks) {
  const auto rule = [](const std::string& password, const std::string& user = "clerk1") {
    const auto error = PasswordPolicy::check(password, user, "new_password");
    return error ? error->rule : std::string("ok");
  };
  EXPECT_EQ(rule("Short-1a"), "length");                // 8 characters
  EXPECT_EQ(rule("Abcdefgh-1"), "ok");                  // 10, four classes
  EXPECT_EQ(rule("abcdefghij1"), "character-classes");  // two classes
  EXPECT_EQ(rule("abcdefghij1!"), "ok");                // three classes
  EXPECT_EQ(rule("ABCDEFGHIJ12"), "character-classes");
  EXPECT_EQ(rule("My-CLERK1-pass"), "contains-user-name");  // any case
  EXPECT_EQ(rule("密码密码密码密码密A1"), "ok");  // characters, not bytes: 11, three classes
  EXPECT_EQ(rule("密码A1"), "length");
  EXPECT_EQ(rule(std::string(129, 'a') + "A1"), "length");
  const auto error = PasswordPolicy::check("abc", "u", "initial_password");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field, "initial_password");
  EXPECT_NE(error->message.find("10 to 128"), std::string::npos);
}

}  // namespace
}  // namespace civ::host
