package dev.userservice.json;

/** A value that knows its own JSON representation, as maps, lists and scalars {@link Json} can write. */
public interface JsonWritable {
    Object toJson();
}
