// The published record and public status are defined once, in the Record module;
// the verifier's users see them as before.
@_exported import Record
