package io.mailferry.notification;

import io.mailferry.core.notification.Notification;
import io.mailferry.core.notification.NotificationException;
import io.mailferry.core.notification.NotificationSender;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what it is asked to send; fails while {@link #failing} is set. */
final class RecordingSender implements NotificationSender {

    final List<Notification> sent = new CopyOnWriteArrayList<>();
    volatile String failing;

    @Override
    public void send(Notification notification) {
        if (failing != null) {
            throw new NotificationException(failing);
        }
        sent.add(notification);
    }

    List<String> subjects() {
        return sent.stream().map(Notification::subject).toList();
    }
}
