package io.mailferry.ews.internal;

import microsoft.exchange.webservices.data.core.enumeration.property.MapiPropertyType;
import microsoft.exchange.webservices.data.core.service.ServiceObject;
import microsoft.exchange.webservices.data.property.complex.ExtendedProperty;
import microsoft.exchange.webservices.data.property.definition.ExtendedPropertyDefinition;

import java.util.UUID;

/**
 * The MAPI properties the connector reads and writes besides EWS's first-class ones ([MS-OXPROPS]).
 */
public final class Props {

    /** The property set of MailFerry's own named properties. */
    public static final UUID MAILFERRY_SET = UUID.fromString("6d61696c-6665-7272-7900-0000000000e5");

    /**
     * PidTagInternetArticleNumber (0x0E23): a message's number in its folder, assigned in ascending
     * order by the store; Exchange's IMAP service uses it as the UID. The connector's UIDs.
     */
    public static final ExtendedPropertyDefinition ARTICLE_NUMBER = tag(0x0E23, MapiPropertyType.Integer);
    /** PidTagMessageFlags (0x0E07): 1 = read, 8 = unsent (a draft). */
    public static final ExtendedPropertyDefinition MESSAGE_FLAGS = tag(0x0E07, MapiPropertyType.Integer);
    /** PidTagMessageDeliveryTime (0x0E06): when the message arrived; EWS's DateTimeReceived. */
    public static final ExtendedPropertyDefinition DELIVERY_TIME = tag(0x0E06, MapiPropertyType.SystemTime);
    /** PidTagFlagStatus (0x1090): 0 none, 1 complete, 2 flagged for follow-up. */
    public static final ExtendedPropertyDefinition FLAG_STATUS = tag(0x1090, MapiPropertyType.Integer);
    /** PidTagLastVerbExecuted (0x1081): 102 reply, 103 reply all, 104 forward. */
    public static final ExtendedPropertyDefinition LAST_VERB = tag(0x1081, MapiPropertyType.Integer);
    /** PidTagIconIndex (0x1080): 261 replied, 262 forwarded (the icon Outlook shows). */
    public static final ExtendedPropertyDefinition ICON_INDEX = tag(0x1080, MapiPropertyType.Integer);
    /** PidTagAttributeHidden (0x10F4): a folder clients do not show. */
    public static final ExtendedPropertyDefinition HIDDEN = tag(0x10F4, MapiPropertyType.Boolean);
    /**
     * MailFerry's source identity of an item it created: {@code sha256:<hex of the content>/<INTERNALDATE
     * in epoch seconds or ->}. A later pass finds the item by it instead of creating it again.
     */
    public static final ExtendedPropertyDefinition SOURCE_ID = named("MailFerrySourceId", MapiPropertyType.String);
    /**
     * IMAP flags that Exchange has no property for ({@code \Deleted}, {@code $}-keywords,
     * {@code $Forwarded} next to {@code \Answered}), space-separated.
     */
    public static final ExtendedPropertyDefinition IMAP_FLAGS = named("MailFerryImapFlags", MapiPropertyType.String);

    /** MSGFLAG_READ. */
    public static final int MSGFLAG_READ = 0x1;
    /** MSGFLAG_UNSENT. */
    public static final int MSGFLAG_UNSENT = 0x8;

    private Props() {
    }

    private static ExtendedPropertyDefinition tag(int tag, MapiPropertyType type) {
        return new ExtendedPropertyDefinition(tag, type);
    }

    private static ExtendedPropertyDefinition named(String name, MapiPropertyType type) {
        try {
            return new ExtendedPropertyDefinition(MAILFERRY_SET, name, type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads an extended property of a loaded item or folder.
     *
     * @param object the item or folder
     * @param def    the property
     * @return its value (Integer, String, Boolean, Date…) or {@code null} if absent
     */
    public static Object get(ServiceObject object, ExtendedPropertyDefinition def) {
        try {
            var props = object instanceof microsoft.exchange.webservices.data.core.service.item.Item item
                    ? item.getExtendedProperties()
                    : ((microsoft.exchange.webservices.data.core.service.folder.Folder) object)
                            .getExtendedPropertiesForService();
            for (ExtendedProperty p : props) {
                if (same(p.getPropertyDefinition(), def)) {
                    return p.getValue();
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    /**
     * @param object the item or folder
     * @param def    an Integer property
     * @param dflt   value when absent
     * @return the value
     */
    public static int getInt(ServiceObject object, ExtendedPropertyDefinition def, int dflt) {
        Object v = get(object, def);
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        return dflt;
    }

    static boolean same(ExtendedPropertyDefinition a, ExtendedPropertyDefinition b) {
        if (a.getTag() != null || b.getTag() != null) {
            return a.getTag() != null && a.getTag().equals(b.getTag());
        }
        return a.getName() != null && a.getName().equals(b.getName())
                && a.getPropertySetId() != null && a.getPropertySetId().equals(b.getPropertySetId());
    }
}
