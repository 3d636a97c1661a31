package dev.userservice.profiles;

import dev.userservice.users.UserService;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The body of a batch of profiles: distinct user ids, at most {@value NotificationProfiles#MAX_BATCH}, and one {@link ProfileRequest}. */
public record ProfileBatchRequest(List<String> userIds, ProfileRequest request) {
    private static final String USER_IDS = "user_ids";

    /** Reads the body; every problem at once in one {@code validation_failed}, ids named by index ({@code user_ids[3]}). */
    public static ProfileBatchRequest read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        List<String> userIds = userIds(fields);
        ProfileRequest request = ProfileRequest.fromBody(fields);
        fields.validate();
        return new ProfileBatchRequest(userIds, request);
    }

    private static List<String> userIds(Fields fields) {
        Object raw = fields.raw(USER_IDS);
        if (raw == null) {
            fields.reject(USER_IDS, "is required");
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            fields.reject(USER_IDS, "must be an array of user ids");
            return List.of();
        }
        if (list.size() > NotificationProfiles.MAX_BATCH) {
            fields.reject(USER_IDS, "must hold at most " + NotificationProfiles.MAX_BATCH + " user ids");
            return List.of();
        }
        List<String> userIds = new ArrayList<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String field = USER_IDS + "[" + i + "]";
            if (!(list.get(i) instanceof String id) || !Text.isId(id)) {
                fields.reject(field, "must be a user id (a lower-case UUID)");
            } else if (firstIndex.containsKey(id)) {
                fields.reject(field, "repeats " + USER_IDS + "[" + firstIndex.get(id) + "]");
            } else {
                firstIndex.put(id, i);
                userIds.add(id);
            }
        }
        return userIds;
    }
}
