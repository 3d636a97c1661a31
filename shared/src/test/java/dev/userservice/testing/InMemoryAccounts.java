package dev.userservice.testing;

import dev.userservice.accounts.CredentialStore;
import dev.userservice.accounts.OneTimeToken;
import dev.userservice.accounts.RegistrationStore;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.events.UserEvent;
import dev.userservice.preferences.Preferences;
import dev.userservice.sessions.CheckedPassword;
import dev.userservice.sessions.Session;
import dev.userservice.sessions.SessionCutoff;
import dev.userservice.users.AccountErasure;
import dev.userservice.users.ActingAdminLostAccessException;
import dev.userservice.users.EmailTakenException;
import dev.userservice.users.User;
import dev.userservice.users.UserStore;
import dev.userservice.users.UsernameTakenException;
import dev.userservice.validation.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Accounts kept in memory with the single table's rules: an email belongs to whoever claims it first, updates and
 * deletions apply only to the account as it was read, one-time tokens work once and only before they expire, and
 * every multi-item change happens whole or not at all. Sessions go to the {@link InMemorySessionStore} given, which
 * then refuses the sessions of disabled accounts and those begun before a password reset, as the table does.
 * Records are immutable, so what it answers are copies.
 */
public final class InMemoryAccounts implements UserStore, RegistrationStore, CredentialStore, AccountErasure {
    private enum Purpose { PASSWORD_RESET, EMAIL_VERIFICATION }

    private record TokenKey(Purpose purpose, String hash) {}

    private final InMemorySessionStore sessions;
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, String> emailOwners = new HashMap<>();
    private final Map<String, Preferences> preferences = new HashMap<>();
    private final Map<String, DeviceRegistration> devices = new HashMap<>();
    private final Map<String, SessionCutoff> sessionCutoffs = new HashMap<>();
    private final Map<String, Instant> passwordChangedAt = new HashMap<>();
    private final Map<TokenKey, OneTimeToken> tokens = new HashMap<>();
    private final List<UserEvent> events = new ArrayList<>();
    private final List<String> erased = new ArrayList<>();
    private final List<Instant> erasureDeadlines = new ArrayList<>();
    private boolean othersAlwaysWriteFirst;
    private Runnable beforeNextPasswordReplacement = () -> {};
    private Runnable beforeNextAccountWrite = () -> {};
    private Runnable afterNextPasswordResetRead = () -> {};
    private boolean eraserRunsAtOnce;
    private boolean erasureFails;

    public InMemoryAccounts(InMemorySessionStore sessions) {
        this.sessions = sessions;
        sessions.judgeOwnersBy(this::acceptsSession);
        sessions.judgePasswordsBy(this::passwordIsCurrent, this::storeUpgradedPassword);
    }

    /** Runs {@code change} once, just before the next password change is written: a request landing while it runs. */
    public synchronized void beforeTheNextPasswordIsReplaced(Runnable change) {
        this.beforeNextPasswordReplacement = change;
    }

    /** Runs {@code change} once, just after the next password reset token is read: a request landing while the reset runs. */
    public synchronized void afterTheNextPasswordResetIsRead(Runnable change) {
        this.afterNextPasswordResetRead = change;
    }

    /** From now on the erasure a deletion runs inline fails, as a throttled table fails it. */
    public synchronized void failErasures() {
        erasureFails = true;
    }

    /** Runs {@code change} once, just before the next account update or deletion is written: a request landing meanwhile. */
    public synchronized void beforeTheNextAccountWrite(Runnable change) {
        this.beforeNextAccountWrite = change;
    }

    private synchronized void runBeforeAccountWrite() {
        Runnable meanwhile = beforeNextAccountWrite;
        beforeNextAccountWrite = () -> {};
        meanwhile.run();
    }

    /**
     * From now on another writer changes the account between every read and conditional write (an update, a
     * deletion, a verification request), as a crowd of concurrent requests would: each such write loses its race.
     */
    public synchronized void letOthersAlwaysWriteFirst() {
        othersAlwaysWriteFirst = true;
    }

    /**
     * From now on the account eraser, which the deletion's event triggers through the table's stream, runs the
     * moment a deletion commits, before the deleting function goes on: it may, on a busy day.
     */
    public synchronized void letTheEraserRunAtOnce() {
        eraserRunsAtOnce = true;
    }

    /** Every event committed so far, oldest first. */
    public synchronized List<UserEvent> events() {
        return List.copyOf(events);
    }

    /** The ids of the accounts erased, in order. */
    public synchronized List<String> erased() {
        return List.copyOf(erased);
    }

    /** The deadline each erasure was given, in order. */
    public synchronized List<Instant> erasureDeadlines() {
        return List.copyOf(erasureDeadlines);
    }

    public synchronized Optional<Preferences> preferencesOf(String userId) {
        return Optional.ofNullable(preferences.get(userId));
    }

    public synchronized Optional<DeviceRegistration> deviceOf(String userId) {
        return Optional.ofNullable(devices.get(userId));
    }

    /** Stores an account as a registration would, without a session: for tests that start from an existing account. */
    public synchronized void add(User user) {
        if (emailOwners.containsKey(user.email())) {
            throw new EmailTakenException();
        }
        requireUsernameFree(user);
        users.put(user.id(), user);
        emailOwners.put(user.email(), user.id());
    }

    @Override
    public synchronized Set<String> create(User user, Preferences chosen, Session session, String refreshTokenHash,
                                           UserEvent registered, Optional<DeviceRegistration> device) {
        add(user);
        preferences.put(user.id(), chosen);
        device.ifPresent(registration -> devices.put(user.id(), registration));
        sessions.create(session, refreshTokenHash);
        events.add(registered);
        return Set.of();
    }

    @Override
    public synchronized void createAccount(User user, Preferences chosen, Optional<Invitation> invitation, List<UserEvent> created) {
        add(user);
        preferences.put(user.id(), chosen);
        invitation.ifPresent(token -> tokens.put(new TokenKey(Purpose.PASSWORD_RESET, token.tokenHash()),
                new OneTimeToken(user.id(), user.email(), token.issuedAt(), token.expiresAt())));
        events.addAll(created);
    }

    private int idReads;

    /** How many accounts were read by id, as DynamoDB reads a profile item: an email's or a name's look-up reads one too. */
    public synchronized int idReads() {
        return idReads;
    }

    @Override
    public synchronized Optional<User> findById(String id) {
        idReads++;
        return Optional.ofNullable(users.get(id));
    }

    /** Usernames are few in unit tests: the fake finds them by looking at every account, as no store would. */
    @Override
    public synchronized Optional<User> findByUsername(String usernameKey) {
        return users.values().stream()
                .filter(user -> user.username() != null && Text.usernameKey(user.username()).equals(usernameKey))
                .findFirst();
    }

    private void requireUsernameFree(User user) {
        if (user.username() != null && findByUsername(Text.usernameKey(user.username()))
                .filter(owner -> !owner.id().equals(user.id())).isPresent()) {
            throw new UsernameTakenException();
        }
    }

    @Override
    public synchronized Optional<User> findByEmail(String email) {
        return Optional.ofNullable(emailOwners.get(email)).flatMap(this::findById);
    }

    @Override
    public synchronized boolean update(User before, User after, Optional<EmailVerification> verification, List<UserEvent> changes,
                                       Optional<String> actingAdmin) {
        runBeforeAccountWrite();
        if (othersAlwaysWriteFirst || !isAsRead(before)) {
            return false;
        }
        if (actingAdmin.isPresent() && Optional.ofNullable(users.get(actingAdmin.get())).filter(admin -> admin.isAdmin() && admin.isActive()).isEmpty()) {
            throw new ActingAdminLostAccessException();
        }
        boolean emailChanged = !before.email().equals(after.email());
        if (emailChanged) {
            String owner = emailOwners.get(after.email());
            if (owner != null && !owner.equals(after.id())) {
                throw new EmailTakenException();
            }
            emailOwners.remove(before.email());
            emailOwners.put(after.email(), after.id());
        }
        requireUsernameFree(after);
        users.put(after.id(), after);
        if (after.lostAccessSince(before)) {
            sessionCutoffs.merge(after.id(), SessionCutoff.reset(after.updatedAt()),
                    (earlier, cutoff) -> new SessionCutoff(cutoff.resetAt(), earlier.changedAt(), earlier.kept()));
        }
        verification.ifPresent(token -> tokens.put(new TokenKey(Purpose.EMAIL_VERIFICATION, token.tokenHash()),
                new OneTimeToken(after.id(), after.email(), after.updatedAt(), token.expiresAt())));
        events.addAll(changes);
        return true;
    }

    @Override
    public synchronized boolean delete(User user, UserEvent deleted, Optional<String> actingAdmin) {
        runBeforeAccountWrite();
        if (othersAlwaysWriteFirst || !isAsRead(user)) {
            return false;
        }
        if (actingAdmin.isPresent() && Optional.ofNullable(users.get(actingAdmin.get())).filter(admin -> admin.isAdmin() && admin.isActive()).isEmpty()) {
            throw new ActingAdminLostAccessException();
        }
        users.remove(user.id());
        emailOwners.remove(user.email(), user.id());
        events.add(deleted);
        if (eraserRunsAtOnce) {
            sessions.eraseSessionsOf(user.id());
        }
        return true;
    }

    @Override
    public synchronized UserPage listByEmail(Optional<String> emailPrefix, Optional<ListPosition> after, int limit) {
        Comparator<User> byEmail = Comparator.comparing(User::email).thenComparing(User::id);
        List<User> matching = users.values().stream()
                .filter(user -> emailPrefix.map(user.email()::startsWith).orElse(true))
                .filter(user -> after.map(position -> byEmail.compare(user, probe(position)) > 0).orElse(true))
                .sorted(byEmail)
                .toList();
        if (matching.size() <= limit) {
            return new UserPage(matching, Optional.empty());
        }
        List<User> page = matching.subList(0, limit);
        return new UserPage(List.copyOf(page), Optional.of(new ListPosition(page.getLast().email(), page.getLast().id())));
    }

    /** Kind after kind in the order given, each in email order, as the store's index partitions are read. */
    @Override
    public synchronized KindPage listByKind(List<Kind> kinds, Optional<String> emailPrefix, Optional<KindPosition> after, int limit) {
        Comparator<KindPosition> order = Comparator.<KindPosition>comparingInt(position -> kinds.indexOf(position.kind()))
                .thenComparing(KindPosition::email).thenComparing(KindPosition::id);
        List<KindPosition> matching = users.values().stream()
                .map(user -> new KindPosition(new Kind(user.type(), user.role(), user.status(), user.plan()), user.email(), user.id()))
                .filter(position -> kinds.contains(position.kind()))
                .filter(position -> emailPrefix.map(position.email()::startsWith).orElse(true))
                .filter(position -> after.map(start -> order.compare(position, start) > 0).orElse(true))
                .sorted(order)
                .toList();
        List<KindPosition> page = matching.subList(0, Math.min(limit, matching.size()));
        return new KindPage(page.stream().map(position -> users.get(position.id())).toList(),
                matching.size() > limit ? Optional.of(page.getLast()) : Optional.empty());
    }

    @Override
    public synchronized Optional<String> emailOwner(String email) {
        return Optional.ofNullable(emailOwners.get(email));
    }

    @Override
    public synchronized Optional<OneTimeToken> findPasswordReset(String tokenHash, Instant now) {
        Optional<OneTimeToken> found = unexpired(new TokenKey(Purpose.PASSWORD_RESET, tokenHash), now);
        Runnable meanwhile = afterNextPasswordResetRead;
        afterNextPasswordResetRead = () -> {};
        meanwhile.run();
        return found;
    }

    @Override
    public synchronized Optional<OneTimeToken> findEmailVerification(String tokenHash, Instant now) {
        return unexpired(new TokenKey(Purpose.EMAIL_VERIFICATION, tokenHash), now);
    }

    @Override
    public synchronized boolean replacePasswordHash(String userId, String expectedHash, String newHash, Instant at,
                                                    String keptSessionId) {
        Runnable meanwhile = beforeNextPasswordReplacement;
        beforeNextPasswordReplacement = () -> {};
        meanwhile.run();
        User user = users.get(userId);
        if (user == null || !user.passwordHash().equals(expectedHash)) {
            return false;
        }
        users.put(userId, withCredentials(user, newHash, user.emailVerified(), at));
        passwordChangedAt.put(userId, at);
        sessionCutoffs.merge(userId, SessionCutoff.change(at, keptSessionId),
                (before, change) -> new SessionCutoff(before.resetAt(), change.changedAt(), change.kept()));
        return true;
    }

    @Override
    public synchronized boolean issuePasswordReset(String email, String userId, String tokenHash, Instant issuedAt,
                                                   Instant expiresAt, UserEvent requested) {
        if (!userId.equals(emailOwners.get(email))) {
            return false;
        }
        tokens.put(new TokenKey(Purpose.PASSWORD_RESET, tokenHash), new OneTimeToken(userId, email, issuedAt, expiresAt));
        events.add(requested);
        return true;
    }

    @Override
    public synchronized boolean resetPassword(String tokenHash, OneTimeToken token, String newHash, Instant at) {
        User user = users.get(token.userId());
        Instant changed = passwordChangedAt.get(token.userId());
        if (user == null || !user.isActive() || !user.email().equals(token.email())
                || (changed != null && changed.isAfter(token.issuedAt())) || !consume(new TokenKey(Purpose.PASSWORD_RESET, tokenHash), at)) {
            return false;
        }
        users.put(user.id(), withCredentials(user, newHash, true, at));
        sessionCutoffs.merge(user.id(), SessionCutoff.reset(at),
                (before, reset) -> new SessionCutoff(reset.resetAt(), before.changedAt(), before.kept()));
        passwordChangedAt.put(user.id(), at);
        return true;
    }

    @Override
    public synchronized boolean issueEmailVerification(String userId, String email, String tokenHash, Instant issuedAt,
                                                       Instant expiresAt, UserEvent requested) {
        User user = users.get(userId);
        if (othersAlwaysWriteFirst || user == null || !user.email().equals(email) || user.emailVerified()) {
            return false;
        }
        tokens.put(new TokenKey(Purpose.EMAIL_VERIFICATION, tokenHash), new OneTimeToken(userId, email, issuedAt, expiresAt));
        events.add(requested);
        return true;
    }

    @Override
    public synchronized boolean verifyEmail(String tokenHash, OneTimeToken token, Instant at) {
        User user = users.get(token.userId());
        if (user == null || !user.email().equals(token.email()) || !consume(new TokenKey(Purpose.EMAIL_VERIFICATION, tokenHash), at)) {
            return false;
        }
        users.put(user.id(), withCredentials(user, user.passwordHash(), true, at));
        return true;
    }

    @Override
    public synchronized boolean eraseUntil(String userId, Instant deadline) {
        if (erasureFails) {
            throw new IllegalStateException("the table is throttling the erasure (thrown by the test)");
        }
        preferences.remove(userId);
        devices.remove(userId);
        tokens.values().removeIf(token -> token.userId().equals(userId));
        erased.add(userId);
        erasureDeadlines.add(deadline);
        return true;
    }

    private boolean isAsRead(User read) {
        User stored = users.get(read.id());
        return stored != null && stored.updatedAt().equals(read.updatedAt());
    }

    private Optional<OneTimeToken> unexpired(TokenKey key, Instant now) {
        return Optional.ofNullable(tokens.get(key)).filter(token -> token.expiresAt().isAfter(now));
    }

    /** Uses a token up: false when it is gone (used) or expired, as the table's conditional delete is. */
    private boolean consume(TokenKey key, Instant now) {
        if (unexpired(key, now).isEmpty()) {
            return false;
        }
        tokens.remove(key);
        return true;
    }

    /** A sign-in's upgrade: the same password at today's cost; the account is not otherwise changed. */
    private synchronized void storeUpgradedPassword(String userId, String passwordHash) {
        User user = users.get(userId);
        users.put(userId, withCredentials(user, passwordHash, user.emailVerified(), user.updatedAt()));
    }

    /** Whether the account is active and still has the hash and the role a sign-in checked, as the table's condition asks. */
    private synchronized boolean passwordIsCurrent(String userId, CheckedPassword checked) {
        User user = users.get(userId);
        return user != null && user.passwordHash().equals(checked.hash()) && user.role() == checked.role() && user.isActive();
    }

    private synchronized boolean acceptsSession(Session session) {
        User owner = users.get(session.userId());
        SessionCutoff cutoff = sessionCutoffs.get(session.userId());
        return owner != null && owner.isActive() && (cutoff == null || !cutoff.ended(session.id(), session.createdAt()));
    }

    private static User probe(ListPosition position) {
        return new User(position.id(), position.email(), null, null, null, null, null, null, false, Map.of(), null, null, null);
    }

    private static User withCredentials(User user, String passwordHash, boolean emailVerified, Instant at) {
        return new User(user.id(), user.email(), user.name(), user.phone(), user.timezone(), user.locale(), user.role(),
                user.status(), emailVerified, user.attributes(), user.createdAt(), at, passwordHash, user.username(),
                user.type(), user.plan());
    }
}
