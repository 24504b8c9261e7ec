namespace KvGrid.Templating; public static class Placeholder {}
