package io.mailferry.core.notification;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationTest {

    private static final NotificationAttachment CSV = new NotificationAttachment("MigrationErrors.csv",
            NotificationAttachment.CSV_UTF8, "EmailAddress,ErrorMessage\r\n".getBytes(StandardCharsets.UTF_8));

    @Test
    void aNotificationCopiesItsListsAndShowsNoBodyInToString() {
        List<String> recipients = new ArrayList<>(List.of("admin@contoso.edu", "ops@contoso.edu"));
        Notification n = new Notification(recipients, "Migration batch wave-1 has completed", "secret-looking body",
                List.of(CSV));
        recipients.clear();

        assertThat(n.recipients()).containsExactly("admin@contoso.edu", "ops@contoso.edu");
        assertThat(n.toString()).contains("admin@contoso.edu", "MigrationErrors.csv", "size=")
                .doesNotContain("secret-looking body");
        assertThatThrownBy(() -> n.recipients().add("x@y.z")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void recipientsMustBeSinglePlainAddressesWithoutDuplicates() {
        for (String bad : List.of("", "admin", "@contoso.edu", "admin@", "a b@contoso.edu", "Admin <admin@contoso.edu>",
                "a@contoso.edu,b@contoso.edu", "a@contoso.edu\r\nBcc: x@evil.test", "a@contoso.edu;b@contoso.edu")) {
            assertThatThrownBy(() -> new Notification(List.of(bad), "s", "t", List.of()))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .message().doesNotContain("\r").doesNotContain("\n");
        }
        assertThatThrownBy(() -> new Notification(List.of(), "s", "t", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one recipient");
        assertThatThrownBy(() -> new Notification(List.of("a@b.c", "A@B.C"), "s", "t", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThat(new Notification(List.of("pelé@exemple.fr"), "s", "t", List.of()).recipients())
                .containsExactly("pelé@exemple.fr");
    }

    @Test
    void theSubjectIsOneLineAndAttachmentNamesAreDistinct() {
        assertThatThrownBy(() -> new Notification(List.of("a@b.c"), "x\r\nBcc: evil@x.y", "t", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one line");
        assertThatThrownBy(() -> new Notification(List.of("a@b.c"), "s", "t", List.of(CSV,
                new NotificationAttachment("migrationerrors.CSV", "text/csv", new byte[0]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two attachments");
    }

    @Test
    void anAttachmentIsImmutableAndComparedByContent() {
        byte[] bytes = {1, 2, 3};
        NotificationAttachment a = new NotificationAttachment("a.csv", "text/csv", bytes);
        bytes[0] = 9;
        a.content()[1] = 9;

        assertThat(a.content()).containsExactly(1, 2, 3);
        assertThat(a.size()).isEqualTo(3);
        assertThat(a).isEqualTo(new NotificationAttachment("a.csv", "text/csv", new byte[] {1, 2, 3}))
                .hasSameHashCodeAs(new NotificationAttachment("a.csv", "text/csv", new byte[] {1, 2, 3}))
                .isNotEqualTo(new NotificationAttachment("a.csv", "text/csv", new byte[] {1, 2}));
        assertThat(a.toString()).contains("size=3");
        for (String bad : List.of("", " ", "../x.csv", "dir\\x.csv", "a\r\n.csv")) {
            assertThatThrownBy(() -> new NotificationAttachment(bad, "text/csv", new byte[0]))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new NotificationAttachment("a.csv", "text/csv\r\nX: y", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
