package dev.userservice.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.notifications.NotificationStatus.Channel;
import dev.userservice.notifications.NotificationStatus.Status;
import dev.userservice.paging.Cursors;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NotificationHistoryTest {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    private final InMemoryNotificationStore store = new InMemoryNotificationStore();
    private final Set<String> users = new HashSet<>();
    private final NotificationHistory history = new NotificationHistory(store, userId -> {
        if (!users.contains(userId)) {
            throw new ServiceException(ErrorCode.NOT_FOUND, "User not found");
        }
    }, new Cursors(() -> List.of("cursor secret".getBytes(StandardCharsets.UTF_8))));
    private final String userId = UUID.randomUUID().toString();

    @Test
    void theHistoryIsNewestFirstAndPagedWithCursorsToTheEnd() {
        List<NotificationStatus> recorded = recordEach(userId, Channel.EMAIL, Channel.PUSH, Channel.EMAIL, Channel.PUSH, Channel.EMAIL);

        Cursors.Page first = history.list(userId, query(Map.of("limit", "2")));
        Cursors.Page second = history.list(userId, query(Map.of("limit", "2", "cursor", first.nextCursor().orElseThrow())));
        Cursors.Page last = history.list(userId, query(Map.of("limit", "2", "cursor", second.nextCursor().orElseThrow())));

        assertEquals(List.of(recorded.get(4), recorded.get(3)), first.items());
        assertEquals(List.of(recorded.get(2), recorded.get(1)), second.items());
        assertEquals(List.of(recorded.get(0)), last.items());
        assertEquals(Optional.empty(), last.nextCursor(), "no empty page after the last");
    }

    @Test
    void aChannelFilterHoldsAcrossPages() {
        List<NotificationStatus> recorded = recordEach(userId, Channel.EMAIL, Channel.PUSH, Channel.EMAIL, Channel.PUSH, Channel.EMAIL);

        Cursors.Page first = history.list(userId, query(Map.of("channel", "push", "limit", "1")));
        Cursors.Page second = history.list(userId, query(Map.of("channel", "push", "limit", "1",
                "cursor", first.nextCursor().orElseThrow())));

        assertEquals(List.of(recorded.get(3)), first.items());
        assertEquals(List.of(recorded.get(1)), second.items());
        assertFalse(second.nextCursor().isPresent());
    }

    @Test
    void theDefaultPageHoldsTwenty() {
        recordEach(userId, Collections.nCopies(21, Channel.EMAIL).toArray(Channel[]::new));

        Cursors.Page page = history.list(userId, query(Map.of()));

        assertEquals(20, page.items().size());
        assertTrue(page.nextCursor().isPresent());
    }

    @Test
    void aCursorOfAnotherUsersHistoryOrAnotherFilterIsRefused() {
        String other = UUID.randomUUID().toString();
        recordEach(userId, Channel.EMAIL, Channel.EMAIL);
        recordEach(other, Channel.EMAIL, Channel.EMAIL);
        String cursor = history.list(userId, query(Map.of("limit", "1"))).nextCursor().orElseThrow();

        ServiceException otherUser = assertThrows(ServiceException.class,
                () -> history.list(other, query(Map.of("limit", "1", "cursor", cursor))));
        ServiceException otherFilter = assertThrows(ServiceException.class,
                () -> history.list(userId, query(Map.of("limit", "1", "channel", "email", "cursor", cursor))));

        assertEquals(Cursors.invalid().error(), otherUser.error());
        assertEquals(Cursors.invalid().error(), otherFilter.error());
    }

    @Test
    void theHistoryOfAnUnknownUserIsNotFoundAndNeverRead() {
        ServiceException refused = assertThrows(ServiceException.class, () -> history.list(userId, query(Map.of())));

        assertEquals(ErrorCode.NOT_FOUND, refused.error());
        assertEquals(0, store.historyReads);
    }

    @Test
    void everyBadParameterIsNamedInOneRefusal() {
        ServiceException refused = assertThrows(ServiceException.class,
                () -> query(Map.of("channel", "sms", "limit", "0", "page", "2")));

        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        assertEquals(Set.of("channel", "limit", "page"),
                Set.copyOf(refused.details().stream().map(FieldError::field).toList()));
    }

    private static NotificationHistory.Query query(Map<String, String> parameters) {
        return NotificationHistory.Query.read(parameters);
    }

    /** One status a minute per channel given, oldest first, each of its own notification. */
    private List<NotificationStatus> recordEach(String owner, Channel... channels) {
        users.add(owner);
        store.addUser(owner);
        List<NotificationStatus> recorded = new ArrayList<>();
        for (int i = 0; i < channels.length; i++) {
            Instant at = START.plusSeconds(60L * i);
            NotificationStatus status = new NotificationStatus(UUID.randomUUID().toString(), "n-" + i, owner, channels[i],
                    Status.SENT, null, null, at, at);
            store.record(status);
            recorded.add(status);
        }
        return recorded;
    }
}
