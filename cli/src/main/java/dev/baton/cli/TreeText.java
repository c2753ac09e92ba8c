package dev.baton.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A tree printed with ASCII branches ({@code |--}, {@code `--}), which every terminal and log shows
 * the same whatever its character set.
 */
public final class TreeText {

  private TreeText() {}

  /** One line and the lines under it. */
  public record Node(String text, List<Node> children) {
    public static Node leaf(String text) {
      return new Node(text, List.of());
    }

    public static Node of(String text, List<Node> children) {
      return new Node(text, List.copyOf(children));
    }
  }

  /** Builds a node's children in order. */
  public static final class Children {
    private final List<Node> nodes = new ArrayList<>();

    public Children add(Node node) {
      nodes.add(node);
      return this;
    }

    public Children leaf(String text) {
      return add(Node.leaf(text));
    }

    public List<Node> list() {
      return nodes;
    }
  }

  public static String render(Node root) {
    StringBuilder out = new StringBuilder(root.text()).append('\n');
    renderChildren(root, "", out);
    return out.toString();
  }

  private static void renderChildren(Node node, String indent, StringBuilder out) {
    for (int i = 0; i < node.children().size(); i++) {
      Node child = node.children().get(i);
      boolean last = i == node.children().size() - 1;
      out.append(indent).append(last ? "`-- " : "|-- ").append(child.text()).append('\n');
      renderChildren(child, indent + (last ? "    " : "|   "), out);
    }
  }
}
