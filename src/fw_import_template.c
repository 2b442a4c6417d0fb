/* fw_import_template.c — the XLSX template of an annex table
 * (fw_import.h): the six columns the importer reads and two example rows
 * (a criterion with its maximum and levels, an item with its component
 * points), with a second sheet explaining the columns. The example is
 * made up ("Ví dụ"): it shows the shape, it is no real criterion. */
#include "fw_import.h"
#include <xlsxwriter.h>

bool fw_import_template_write(const char *path, buf *err)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		buf_printf(err, "không tạo được tệp XLSX %s\n", path);
		return false;
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Bảng tiêu chí");
	lxw_worksheet *help = workbook_add_worksheet(wb, "Hướng dẫn");
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_text_wrap(head);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_font_name(head, "Times New Roman");
	lxw_format *wrap = workbook_add_format(wb);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	format_set_border(wrap, LXW_BORDER_THIN);
	format_set_font_name(wrap, "Times New Roman");
	lxw_format *text = workbook_add_format(wb);
	format_set_num_format(text, "@");
	format_set_align(text, LXW_ALIGN_VERTICAL_TOP);
	format_set_border(text, LXW_BORDER_THIN);
	format_set_font_name(text, "Times New Roman");

	static const double widths[FW_NCOLS] = { 8, 60, 12, 14, 30, 40 };
	for (int k = 0; k < FW_NCOLS; k++) {
		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, widths[k], NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)k, fw_import_headers[k], head);
	}
	/* STT as text: "1.1" typed in a number cell would become 1.1 the
	 * number, and "1.10" would lose its zero */
	worksheet_set_column(ws, 0, 0, widths[0], text);
	worksheet_write_string(ws, 1, 0, "1", text);
	worksheet_write_string(ws, 1, 1, "Ví dụ: nhóm tiêu chí", wrap);
	worksheet_write_number(ws, 1, 2, 10, wrap);
	worksheet_write_string(ws, 2, 0, "1.1", text);
	worksheet_write_string(ws, 2, 1, "Ví dụ: tiêu chí có điểm tối đa và các mức", wrap);
	worksheet_write_number(ws, 2, 2, 10, wrap);
	worksheet_write_string(ws, 2, 4, "Mức 1: dưới 5 điểm; Mức 2: từ 5 đến 8 điểm; Mức 3: trên 8 điểm", wrap);
	worksheet_write_string(ws, 2, 5, "Ghi chú: thay các hàng ví dụ bằng bảng của quyết định", wrap);
	worksheet_write_string(ws, 3, 0, "1.1.1", text);
	worksheet_write_string(ws, 3, 1, "Ví dụ: chỉ số có điểm thành phần", wrap);
	worksheet_write_number(ws, 3, 3, 10, wrap);
	worksheet_write_string(ws, 3, 5, "Minh chứng: văn bản, đường link", wrap);
	worksheet_freeze_panes(ws, 1, 0);

	static const char *const lines[] = {
		"Mỗi hàng là một nhóm, tiêu chí hoặc chỉ số của bảng phụ lục, theo đúng thứ tự của quyết định.",
		"STT: 1 là nhóm, 1.1 là tiêu chí, 1.1.1 là chỉ số; a, b, c là mục con của mã số ngay trên.",
		"Điểm tối đa: của nhóm hoặc tiêu chí. Điểm thành phần: của chỉ số (hoặc mục a, b, c).",
		"Ghi \"Điều kiện bắt buộc\" ở cột Ghi chú (hoặc một hàng không có STT trước các điều kiện) cho điều kiện bắt buộc.",
		"Mức độ: ví dụ \"Mức 1: dưới 10 điểm; Mức 2: từ 10 đến 20 điểm; Mức 3: trên 20 điểm\".",
		"Ghi chú, minh chứng: \"Ghi chú: …\" là ghi chú, phần còn lại là minh chứng cần nộp.",
		"Có thể gộp ô như trong văn bản (ví dụ điểm tối đa của tiêu chí gộp xuống các chỉ số).",
		"Những gì bảng không nói (cách chấm, ngưỡng, các mức chung) được Chiso suy ra và đánh dấu để quản trị viên xem lại.",
	};
	worksheet_set_column(help, 0, 0, 110, NULL);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		worksheet_write_string(help, (lxw_row_t)i, 0, lines[i], NULL);
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		buf_printf(err, "không ghi được tệp XLSX: %s\n", lxw_strerror(e));
		return false;
	}
	return true;
}
