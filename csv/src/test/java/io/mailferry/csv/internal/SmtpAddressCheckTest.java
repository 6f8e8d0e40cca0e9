package io.mailferry.csv.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpAddressCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "terry.adams@contoso.edu",
            "a@b.co",
            "user@localhost",
            "first.last+tag@sub.example.co.uk",
            "o'brien@example.ie",
            "!#$%&'*+-/=?^_`{|}~@example.com",
            "user@xn--bcher-kva.example",
            "jürgen@exämple.de",
            "李雷@例子.中国",
            "user@123.example",
            "user@a-b.example",
            "a@b.c0m"})
    void accepts(String address) {
        assertThat(SmtpAddressCheck.problem(address)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', value = {
            "terry.adams => no @",
            "@contoso.com => nothing before the @",
            "terry@ => no domain after the @",
            "a@b@c.com => more than one @",
            "` terry@contoso.com` => spaces",
            "`terry@contoso.com ` => spaces",
            "terry adams@contoso.com => spaces",
            "terry@contoso.com\u200B => invisible",
            ".terry@contoso.com => starts or ends with a dot",
            "terry.@contoso.com => starts or ends with a dot",
            "te..rry@contoso.com => two dots in a row",
            "\"terry adams\"@contoso.com => spaces",
            "\"terry\"@contoso.com => quoted local parts",
            "terry(comment)@contoso.com => '('",
            "terry,adams@contoso.com => ','",
            "Terry <terry@contoso.com> => spaces",
            "<terry@contoso.com> => without a display name",
            "terry@[192.0.2.1] => address literals",
            "terry@192.0.2.1 => not an IP address",
            "terry@contoso..com => two dots in a row in the domain",
            "terry@.contoso.com => starts or ends with a dot",
            "terry@contoso.com. => starts or ends with a dot",
            "terry@-contoso.com => hyphen",
            "terry@contoso-.com => hyphen",
            "terry@con_toso.com => '_'",
            "terry@contoso.com; => ';'",
            "=HYPERLINK(x)@x.com => '('"})
    void rejects(String address, String expected) {
        assertThat(SmtpAddressCheck.problem(address)).hasValueSatisfying(p -> assertThat(p).contains(expected));
    }

    @Test
    void enforcesRfc5321Lengths() {
        String local64 = "a".repeat(64);
        assertThat(SmtpAddressCheck.problem(local64 + "@example.com")).isEmpty();
        assertThat(SmtpAddressCheck.problem(local64 + "a@example.com")).hasValueSatisfying(
                p -> assertThat(p).contains("longer than 64 octets"));
        assertThat(SmtpAddressCheck.problem("ü".repeat(33) + "@example.com")).hasValueSatisfying(
                p -> assertThat(p).contains("64 octets"));
        String label63 = "b".repeat(63);
        assertThat(SmtpAddressCheck.problem("a@" + label63 + ".com")).isEmpty();
        assertThat(SmtpAddressCheck.problem("a@" + label63 + "b.com")).hasValueSatisfying(
                p -> assertThat(p).contains("longer than 63"));
        String longAddress = "a".repeat(64) + "@" + String.join(".", label63, label63, label63);
        assertThat(longAddress.length()).isGreaterThan(254);
        assertThat(SmtpAddressCheck.problem(longAddress)).hasValueSatisfying(
                p -> assertThat(p).contains("longer than 254"));
        assertThat(SmtpAddressCheck.problem("")).isPresent();
        assertThat(SmtpAddressCheck.problem("a@b\uD800.com")).isPresent();
    }
}
